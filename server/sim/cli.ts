/**
 * The simulator on its own, against any broker:
 *   tsx server/sim/cli.ts --broker ws://127.0.0.1:9001 [--interval 1000] [--faults on|off] ...
 */
import { parseArgs } from 'node:util';
import { brokerUrlFlag, isUsageError, intFlag, numberFlag, onOffFlag } from '../flags';
import { DEFAULT_FAULT_EVERY_SEC, DEFAULT_INTERVAL_MS, startSimulator } from './runner';

const HELP = `Twinview pump-station simulator: publishes plant/north/# telemetry to an MQTT broker.

Usage: tsx server/sim/cli.ts [options]

Options:
  --broker <url>         broker URL: ws://, wss://, mqtt:// or mqtts:// (default: $TWINVIEW_BROKER_URL,
                         else ws://127.0.0.1:9001). MQTT 3.1.1, so aedes and Mosquitto both work.
  --interval <ms>        wall-clock milliseconds between publishes (default ${DEFAULT_INTERVAL_MS})
  --faults on|off        scripted faults: bearing overheating, tank overflow, silent sensor (default on)
  --fault-every <s>      simulated seconds between fault starts (default ${DEFAULT_FAULT_EVERY_SEC}); the first
                         comes after a third of that
  --seed <n>             random seed, to repeat a run exactly (default: from the clock, and logged)
  --speed <x>            simulated seconds per real second (default 1)
  --day-length <min>     simulated minutes in one demand day (default 20)
  -h, --help             this text

Commands: publish {"action":"start"|"stop"[,"id"]} to plant/north/pumps/pumpN/cmd, or
{"action":"setpoint","value":0..100[,"id"]} to plant/north/valve1/cmd; the answer comes on
<topic>/ack as {"action","ok","ts"[,"reason"][,"id"]}.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      broker: { type: 'string' },
      interval: { type: 'string' },
      faults: { type: 'string' },
      'fault-every': { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      'day-length': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const brokerUrl = brokerUrlFlag('broker', values.broker ?? process.env.TWINVIEW_BROKER_URL ?? 'ws://127.0.0.1:9001', [
    'ws',
    'wss',
    'mqtt',
    'mqtts',
    'tcp',
  ]);
  const intervalMs = intFlag('interval', values.interval, DEFAULT_INTERVAL_MS, 50, 600_000);
  const faults = onOffFlag('faults', values.faults, true);
  const faultEverySec = intFlag('fault-every', values['fault-every'], DEFAULT_FAULT_EVERY_SEC, 10, 86_400);
  const seed = values.seed === undefined ? undefined : intFlag('seed', values.seed, 1, 0, 2 ** 31 - 1);
  const speed = numberFlag('speed', values.speed, 1, 0.01, 1000);
  const dayLengthMin = numberFlag('day-length', values['day-length'], 20, 1, 1440);

  const sim = startSimulator({ brokerUrl, intervalMs, faults, faultEverySec, seed, speed, dayLengthMin });
  console.log(
    `[sim] publishing ${sim.model.topicFilter} to ${brokerUrl} every ${intervalMs} ms, ` +
      (faults ? `faults every ${faultEverySec} s` : 'faults off') +
      `, seed ${sim.seed}${speed !== 1 ? `, speed x${speed}` : ''}`,
  );

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(isUsageError(err) ? `${message} (see --help)` : `simulator: ${message}`);
  process.exit(isUsageError(err) ? 2 : 1);
});
