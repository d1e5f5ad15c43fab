import { execFileSync } from 'node:child_process';
import { startMosquitto } from './mosquitto';
import { startPostgres } from './postgres';
import { E2E } from './ports';

/**
 * The model fixtures (e2e/fixtures), built where the web server looks for twins (E2E.fixturesDir),
 * and one real Mosquitto for the whole run; specs that stop the broker start their own.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync('npx', ['tsx', 'e2e/fixtures/build.ts', E2E.fixturesDir], { stdio: 'inherit' });
  const broker = await startMosquitto({ tcpPort: E2E.brokerTcpPort, wsPort: E2E.brokerWsPort });
  // One PostgreSQL for the historian specs (E2E.postgresUrl); each historian gets a database of its own.
  const postgres = await startPostgres({ port: E2E.postgresPort }).catch(async (err: unknown) => {
    await broker.stop();
    throw err;
  });
  return async () => {
    await postgres.stop();
    await broker.stop();
  };
}
