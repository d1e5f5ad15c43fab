/** Opens the history store named by a `--history` value (see parseHistoryTarget). */
import { openDriver, parseHistoryTarget } from './drivers';
import { SqlHistoryStore, type HistoryStore } from './store';

export async function openHistory(value: string): Promise<HistoryStore> {
  const driver = await openDriver(parseHistoryTarget(value));
  try {
    return await SqlHistoryStore.open(driver);
  } catch (err) {
    await driver.close().catch(() => {});
    throw err;
  }
}
