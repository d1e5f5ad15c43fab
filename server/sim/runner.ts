/**
 * Runs the pump-station model against a broker: steps it on a timer, publishes its telemetry (retained,
 * QoS 0), obeys commands, and keeps going through broker outages (mqtt.js reconnects; the model keeps
 * running, so on reconnect the retained state jumps to the present instead of replaying a backlog).
 */
import { connect, type MqttClient } from 'mqtt';
import { PumpStation } from './pumpStation';

export interface SimulatorOptions {
  /** ws://, wss://, mqtt:// or mqtts:// URL of the broker. */
  brokerUrl: string;
  /** Wall-clock ms between publishes. Default 1000. */
  intervalMs?: number;
  /** Scripted faults. Default on. */
  faults?: boolean;
  /** Simulated seconds between fault starts. Default 180. */
  faultEverySec?: number;
  /** PRNG seed. Default: from the clock, so each run differs (logged, so a run can be repeated). */
  seed?: number;
  /** Simulated seconds per wall-clock second. Default 1. */
  speed?: number;
  /** Length of a simulated day, in simulated minutes. Default 20. */
  dayLengthMin?: number;
  /** Where log lines go. Default console.log. */
  log?: (line: string) => void;
}

export interface RunningSimulator {
  readonly model: PumpStation;
  readonly seed: number;
  /** True once the first connection is up; false if that takes longer than timeoutMs. */
  connected(timeoutMs: number): Promise<boolean>;
  /** Stops publishing and disconnects; retained telemetry stays on the broker. */
  stop(): Promise<void>;
}

export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_FAULT_EVERY_SEC = 180;

export function startSimulator(options: SimulatorOptions): RunningSimulator {
  const log = options.log ?? ((line: string) => console.log(line));
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const speed = options.speed ?? 1;
  const seed = options.seed ?? Date.now() % 1_000_000;
  const url = options.brokerUrl;
  const model = new PumpStation({
    seed,
    faults: options.faults ?? true,
    faultEveryMs: (options.faultEverySec ?? DEFAULT_FAULT_EVERY_SEC) * 1000,
    dayLengthMs: (options.dayLengthMin ?? 20) * 60_000,
  });

  const client: MqttClient = connect(url, {
    // 3.1.1 works on aedes (which refuses 5) and on every other broker.
    protocolVersion: 4,
    clientId: `twinview-sim-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    // Telemetry published while offline would arrive late and stale: drop it, the next tick is fresher.
    queueQoSZero: false,
    resubscribe: false,
  });

  let everConnected = false;
  let down = false;
  let stopped = false;
  let onFirstConnect: () => void = () => {};
  const firstConnect = new Promise<void>((resolve) => (onFirstConnect = resolve));

  const publish = (messages: { topic: string; payload: string; retain: boolean }[]) => {
    if (!client.connected) return;
    for (const m of messages) client.publish(m.topic, m.payload, { qos: 0, retain: m.retain });
  };
  const flushEvents = () => {
    for (const e of model.takeEvents()) log(`[sim] ${e.text}`);
  };

  client.on('connect', () => {
    log(`[sim] ${everConnected ? 'reconnected' : 'connected'} to ${url}`);
    everConnected = true;
    down = false;
    onFirstConnect();
    client.subscribe(model.commandFilters, { qos: 0 }, (err) => {
      if (err && !stopped) log(`[sim] could not subscribe to ${model.commandFilters.join(', ')}: ${err.message}`);
    });
    // Refresh the retained state now rather than up to one interval later.
    publish(model.step(0, Date.now()));
  });
  client.on('message', (topic, payload, packet) => {
    // A retained command is history (someone published with retain): obeying it on every reconnect would
    // start or stop pumps out of the blue.
    if (packet.retain) return;
    publish(model.handleCommand(topic, payload, Date.now()));
    flushEvents();
  });
  const wentDown = (reason: string) => {
    if (down || stopped) return;
    down = true;
    log(
      everConnected
        ? `[sim] lost the broker at ${url} (${reason}); reconnecting every second`
        : `[sim] cannot reach the broker at ${url} (${reason}); retrying every second`,
    );
  };
  client.on('error', (err) => wentDown((err as NodeJS.ErrnoException).code ?? err.message));
  client.on('offline', () => wentDown('connection closed'));

  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    // Clamp a long stall (laptop asleep, debugger) so the plant does not leap hours ahead in one step.
    const dt = Math.min(Math.max(0, now - last), 10 * intervalMs) * speed;
    last = now;
    publish(model.step(dt, now));
    flushEvents();
  }, intervalMs);

  let stopping: Promise<void> | undefined;
  return {
    model,
    seed,
    connected(timeoutMs: number): Promise<boolean> {
      let t: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (t = setTimeout(() => resolve(false), timeoutMs)));
      return Promise.race([firstConnect.then(() => true), timeout]).finally(() => clearTimeout(t));
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(timer);
        // Graceful when connected (flushes what is in flight); forced otherwise, or it would wait on a
        // reconnect that may never come.
        const graceful = client.connected;
        let t: NodeJS.Timeout | undefined;
        await Promise.race([
          client.endAsync(!graceful),
          new Promise<void>((resolve) => (t = setTimeout(resolve, 2000))),
        ]).finally(() => clearTimeout(t));
        if (!client.disconnected) client.end(true);
      })();
      return stopping;
    },
  };
}
