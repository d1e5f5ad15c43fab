/**
 * `twin watch` says how it is connected: a twin written from the documentation (no "mqtt", so MQTT 5)
 * against the embedded broker (aedes, 3.1.1 only) connects by falling back, and the output says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../broker';
import { watch } from './watch';

describe('twin watch connection details', () => {
  let broker: RunningBroker | null = null;
  afterEach(async () => {
    await broker?.close();
    broker = null;
  });

  it('connects a twin asking for MQTT 5 to the embedded 3.1.1 broker and says it fell back', async () => {
    broker = await startBroker({ wsPort: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'twin-watch-'));
    const file = join(dir, 'twin.json');
    // No "mqtt": the documented default, 5.
    const doc = { id: 'doc-default', title: 'Doc default', connection: { url: broker.url, subscribe: ['site/#'] } };
    writeFileSync(file, JSON.stringify(doc));
    const out: string[] = [];
    const err: string[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = watch(
      [file, '--interval', '50'],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      {
        tty: false,
        until,
      },
    );
    await expect.poll(() => out.join('\n'), { timeout: 8000 }).toContain('Doc default — Online');
    stop();
    expect(await running).toBe(0);
    const online = out.find((l) => l.startsWith('Doc default — Online'));
    expect(online).toContain('MQTT 3.1.1: the broker refused MQTT 5');
    expect(err).toEqual([]);
  });
});
