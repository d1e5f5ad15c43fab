/**
 * The solar-farm stream for `npm run bench -- shared`, in its own process so that its CPU is not the
 * service's: server/sim/solarFarm.ts at 100,000 readings/s. Prints {"published":N} once a second.
 * Args: <broker url>
 */
import { startSolarFarm } from '../server/sim/solarFarm';

const farm = startSolarFarm({ brokerUrl: process.argv[2], log: () => {} });
const timer = setInterval(() => process.stdout.write(`${JSON.stringify({ published: farm.published() })}\n`), 1000);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void farm.stop().then(() => process.exit(0));
});
