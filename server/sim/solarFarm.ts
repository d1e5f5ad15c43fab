/**
 * The solar-farm simulator: 100 x 100 panels, every panel updated ten times a second (100,000 readings/s),
 * batched one row (100 panels) per MQTT message so each message stays well under 4 KB (Mosquitto's
 * WebSocket listener is slow above 4,096 bytes) and the browser handles 1,000 messages/s, not 100,000.
 */
import { connect, type MqttClient } from 'mqtt';
import { Random } from './random';

export interface SolarFarmOptions {
  rows?: number;
  columns?: number;
  /** Rated power of a panel, W. */
  ratedW?: number;
  /** Share of panels that are dead (publish 0 W), to show alarm colour in the field. */
  deadShare?: number;
  seed?: number;
}

/** The field's state; pure (no I/O), stepped by the caller's clock. */
export class SolarFarm {
  readonly rows: number;
  readonly columns: number;
  private readonly ratedW: number;
  private readonly dead: Uint8Array;
  private readonly shade: Float32Array;
  private readonly random: Random;

  constructor(options: SolarFarmOptions = {}) {
    this.rows = options.rows ?? 100;
    this.columns = options.columns ?? 100;
    this.ratedW = options.ratedW ?? 400;
    this.random = new Random(options.seed ?? 1);
    const n = this.rows * this.columns;
    this.dead = new Uint8Array(n);
    this.shade = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      this.dead[k] = this.random.next() < (options.deadShare ?? 0.002) ? 1 : 0;
      this.shade[k] = 0.9 + this.random.next() * 0.1;
    }
  }

  /** Topic of one row's readings. */
  static topic(row: number): string {
    return `solar/field/${row}/power`;
  }

  /** One row's message at `t` ms: `{"ts":…,"p":[W, W, …]}` with one value per column. */
  rowMessage(row: number, t: number): { topic: string; payload: string } {
    // A cloud shadow drifts across the field once a minute; each panel wobbles a little on its own.
    const cloud = ((t / 60_000) * this.columns) % (this.columns * 2);
    const values = new Array<string>(this.columns);
    for (let c = 0; c < this.columns; c++) {
      const k = row * this.columns + c;
      if (this.dead[k]) {
        values[c] = '0';
        continue;
      }
      const shadow = Math.abs(c + row * 0.3 - cloud) < 12 ? 0.45 : 1;
      const w = this.ratedW * 0.85 * this.shade[k] * shadow * (1 + this.random.gauss() * 0.01);
      values[c] = w.toFixed(1);
    }
    return { topic: SolarFarm.topic(row), payload: `{"ts":${Math.round(t)},"p":[${values.join(',')}]}` };
  }

  /** Whether panel (row, column) is dead. */
  isDead(row: number, column: number): boolean {
    return this.dead[row * this.columns + column] === 1;
  }
}

export interface SolarFarmSimulatorOptions extends SolarFarmOptions {
  brokerUrl: string;
  /** Updates per panel per second. Default 10 (100,000 readings/s for 10,000 panels). */
  rateHz?: number;
  log?: (line: string) => void;
}

export interface RunningSolarFarm {
  readonly farm: SolarFarm;
  /** Messages published so far. */
  published(): number;
  stop(): Promise<void>;
}

/** Publishing tick: rows are spread over each period so the broker sees a steady stream, not bursts. */
const TICK_MS = 10;

export function startSolarFarm(options: SolarFarmSimulatorOptions): RunningSolarFarm {
  const log = options.log ?? ((line: string) => console.log(line));
  const farm = new SolarFarm(options);
  const client: MqttClient = connect(options.brokerUrl, {
    protocolVersion: 4,
    clientId: `twinview-solar-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 1000,
    queueQoSZero: false,
  });
  let count = 0;
  let connected = false;
  client.on('connect', () => {
    if (!connected) log(`[solar] publishing ${farm.rows * farm.columns} panels to ${options.brokerUrl}`);
    connected = true;
  });
  // Rows are due at a steady rate from the start; each tick publishes the rows due since the last one,
  // so a late timer (a busy machine) catches up instead of lowering the rate.
  const rowsPerMs = (farm.rows * (options.rateHz ?? 10)) / 1000;
  const start = Date.now();
  let sentRows = 0;
  let row = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    const due = Math.floor((now - start) * rowsPerMs);
    if (!client.connected) {
      sentRows = due; // offline: drop what was due, the next readings are fresher
      return;
    }
    // At most one period's rows per tick, so a long stall does not become a burst.
    for (let n = Math.min(due - sentRows, farm.rows); n > 0; n--) {
      const m = farm.rowMessage(row, now);
      client.publish(m.topic, m.payload, { qos: 0 });
      count++;
      row = (row + 1) % farm.rows;
    }
    sentRows = due;
  }, TICK_MS);
  return {
    farm,
    published: () => count,
    stop: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
