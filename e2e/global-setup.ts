import { startMosquitto } from './mosquitto';
import { E2E } from './ports';

/** One real Mosquitto for the whole run; specs that stop the broker start their own. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const broker = await startMosquitto({ tcpPort: E2E.brokerTcpPort, wsPort: E2E.brokerWsPort });
  return () => broker.stop();
}
