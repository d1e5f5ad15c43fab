/**
 * The north pump station, as a pure model: no timers, no I/O, no Math.random. The runner calls
 * `step(dtMs, nowMs)` and publishes what it returns; tests drive it through simulated hours in milliseconds.
 *
 * Plant: water flows into a small storage tank through a level-controlled inlet; three duty/standby pumps on
 * variable-speed drives lift it into the distribution header through a discharge valve; a fan cools the
 * motor room. Demand follows a compressed day (morning and evening peaks, quiet night).
 *
 * Normal operation stays clear of the twin's alarm limits (bearing < 85 °C, tank 10..90 %); the scripted
 * faults cross them on purpose.
 */
import { Drift, Random } from './random';

export const PUMP_IDS = ['pump1', 'pump2', 'pump3'] as const;
export type PumpId = (typeof PUMP_IDS)[number];
export type FaultKind = 'overheat' | 'overflow' | 'silent';
/** The order faults come in; the schedule walks it round and round. */
export const FAULT_ROTATION: readonly FaultKind[] = ['overheat', 'overflow', 'silent'];

export interface PumpStationOptions {
  /** PRNG seed: the same seed and the same calls give the same messages. Default 1. */
  seed?: number;
  /** Scripted faults on or off. Default on. */
  faults?: boolean;
  /** Simulated time between fault starts. Default 180 s. */
  faultEveryMs?: number;
  /** Simulated time of the first fault. Default a third of faultEveryMs. */
  firstFaultMs?: number;
  /** Length of one simulated day: compressed so that a demo shows a whole cycle. Default 20 min. */
  dayLengthMs?: number;
  /** Time of day at the start, 0..1 (0 = midnight). Default 0.3, early morning as demand rises. */
  startPhase?: number;
  /** Topic prefix. Default "plant/north". */
  prefix?: string;
}

export interface SimMessage {
  topic: string;
  /** JSON text, always under 4 KB (Mosquitto's WebSocket listener is slow above that). */
  payload: string;
  retain: boolean;
}

export interface SimEvent {
  /** Simulated time, ms since the model started. */
  simMs: number;
  kind: 'fault-start' | 'fault-end' | 'trip' | 'reset' | 'command';
  fault?: FaultKind;
  device?: string;
  text: string;
}

export interface PumpTelemetry {
  ts: number;
  running: boolean;
  rpm: number;
  flow: number;
  bearing: { temp: number };
  motor: { current: number };
}
export interface TankTelemetry {
  ts: number;
  level: number;
  inflow: number;
  outflow: number;
}
export interface FanTelemetry {
  ts: number;
  rpm: number;
}
export interface ValveTelemetry {
  ts: number;
  position: number;
}
export interface CommandAck {
  action: string;
  ok: boolean;
  ts: number;
  reason?: string;
  /** The command's `id`, echoed so the sender can tell which of its commands this answers. */
  id?: string;
}

type Mode = 'auto' | 'manual-on' | 'manual-off';

interface Pump {
  id: PumpId;
  /** Run command (the contactor): what the payload's `running` reports. */
  on: boolean;
  mode: Mode;
  /** Simulated time when a manual override falls back to automatic. */
  overrideUntil: number;
  tripped: boolean;
  trippedAt: number;
  rpm: number;
  flow: number;
  current: number;
  temp: number;
  runMs: number;
  /** Bearing wear and sensor offset: a few degrees that wander over tens of minutes. */
  tempOffset: Drift;
  /** Hydraulic efficiency: wanders a little, so flow per rpm is never quite constant. */
  efficiency: Drift;
}

type Fault =
  | { kind: 'overheat'; pump: PumpId; phase: 'heating' | 'hold' | 'cooling'; since: number; tau: number }
  | { kind: 'overflow'; phase: 'surge' | 'spill' | 'recover'; since: number }
  | { kind: 'silent'; pump: PumpId; since: number };

const SUBSTEP_MS = 250;
const MINUTE = 60_000;
/** A small tank, so that the level visibly moves with demand: 1 % is 0.15 m³. */
const TANK_M3_PER_PERCENT = 0.15;
const LEVEL_SETPOINT = 55;
/** The overflow weir: water above it spills, so the level never reads much above. */
const WEIR_LEVEL = 99.2;
/** Above this the inlet is cut off, whatever the controller says (a high-level switch). */
const HIGH_LEVEL_CUTOFF = 88;
// Below about 60 % speed a pump cannot lift against the header's static head: drives run no slower.
const RPM_MIN_RUN = 1050;
const RPM_MAX_RUN = 1760;
const ACCEL_RPM_S = 120;
const DECEL_RPM_S = 150;
/** Staging: one more pump above n * STAGE_UP m³/h, one fewer below (n - 1) * STAGE_DOWN. */
const STAGE_UP = 95;
const STAGE_DOWN = 80;
const OVERRIDE_MS = 10 * MINUTE;
const SILENT_MS = 45_000;
const OVERHEAT_HOLD_MS = 30_000;
const OVERHEAT_TARGET = 115;
const OVERFLOW_SPILL_MS = 15_000;
const FAULT_GAP_MS = 20_000;

/** First-order lag: move x toward target with time constant tau. */
function lag(x: number, target: number, dtMs: number, tauMs: number): number {
  return x + (target - x) * (1 - Math.exp(-dtMs / tauMs));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Distance between two times of day on the 24 h circle (so a peak near midnight wraps round). */
function phaseDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 1;
  return Math.min(d, 1 - d);
}

/** Water demand over a day, m³/h: quiet night, a sharp morning peak, a lunchtime shoulder, an evening peak. */
export function dailyDemand(phase: number): number {
  const bump = (centre: number, width: number) => Math.exp(-0.5 * (phaseDistance(phase, centre) / width) ** 2);
  return 55 + 140 * bump(0.33, 0.05) + 80 * bump(0.55, 0.1) + 150 * bump(0.79, 0.06);
}

/** Pump curve: no flow below ~200 rpm (not enough head), then roughly linear. */
function pumpFlow(rpm: number, efficiency: number): number {
  return Math.max(0, (120 * efficiency * (rpm - 200)) / 1600);
}

function rpmForFlow(flow: number, efficiency: number): number {
  return 200 + (1600 * flow) / (120 * efficiency);
}

export class PumpStation {
  private readonly rng: Random;
  private readonly prefix: string;
  private readonly faultsOn: boolean;
  private readonly faultEveryMs: number;
  private readonly dayLengthMs: number;
  private readonly startPhase: number;

  /** Simulated milliseconds since start. */
  private t = 0;
  private readonly pumps: Pump[];
  private level = LEVEL_SETPOINT;
  private inflow = 0;
  private outflow = 0;
  private demand = 0;
  private ambient = 18;
  private roomTemp = 25;
  private fanRpm = 500;
  private valve = 50;
  /** An operator's valve opening (%) and until when it holds; automatic again afterwards. */
  private valveSetpoint: number | null = null;
  private valveOverrideUntil = 0;
  private readonly demandDrift: Drift;
  private readonly demandNoise: Drift;
  private readonly supplyNoise: Drift;
  private stageUpMs = 0;
  private stageDownMs = 0;
  private lastStageAt = -Infinity;

  private fault: Fault | undefined;
  private nextFaultAt: number;
  private faultCount = 0;
  private readonly events: SimEvent[] = [];

  constructor(options: PumpStationOptions = {}) {
    this.rng = new Random(options.seed ?? 1);
    this.prefix = options.prefix ?? 'plant/north';
    this.faultsOn = options.faults ?? true;
    this.faultEveryMs = options.faultEveryMs ?? 180_000;
    this.nextFaultAt = options.firstFaultMs ?? this.faultEveryMs / 3;
    this.dayLengthMs = options.dayLengthMs ?? 20 * MINUTE;
    this.startPhase = options.startPhase ?? 0.3;

    const rng = this.rng;
    this.demandDrift = new Drift(1, 0.04, 5 * MINUTE, rng);
    this.demandNoise = new Drift(0, 3, 15_000, rng);
    this.supplyNoise = new Drift(0, 4, 20_000, rng);
    this.pumps = PUMP_IDS.map((id) => ({
      id,
      on: false,
      mode: 'auto',
      overrideUntil: 0,
      tripped: false,
      trippedAt: 0,
      rpm: 0,
      flow: 0,
      current: 0,
      temp: 0,
      runMs: rng.next() * 1000, // breaks ties in duty rotation differently per seed
      tempOffset: new Drift(0, 1.5, 10 * MINUTE, rng),
      efficiency: new Drift(0.95, 0.012, 8 * MINUTE, rng),
    }));
    this.settle();
  }

  /** Simulated milliseconds since start. */
  get simMs(): number {
    return this.t;
  }

  /** Start already in steady state (pumps running, temperatures warm) rather than from a cold plant. */
  private settle(): void {
    this.demand = this.currentDemand();
    this.ambientUpdate();
    const needed = clamp(Math.ceil(this.demand / STAGE_UP), 1, 3);
    const byRunTime = [...this.pumps].sort((a, b) => a.runMs - b.runMs);
    for (let i = 0; i < needed; i++) byRunTime[i].on = true;
    for (const p of this.pumps) {
      p.rpm = p.on ? this.speedSetpoint(p, needed) : 0;
      p.flow = pumpFlow(p.rpm, p.efficiency.value);
      p.current = this.motorCurrent(p);
    }
    this.outflow = this.pumps.reduce((s, p) => s + p.flow, 0);
    this.inflow = this.outflow;
    this.roomTemp = this.roomTarget();
    for (const p of this.pumps) p.temp = this.bearingTarget(p);
    this.fanRpm = this.fanTarget();
    this.valve = this.valveTarget();
  }

  private ambientUpdate(): void {
    // Outside air: coolest before dawn, warmest mid-afternoon.
    this.ambient = 18 + 6 * Math.sin(2 * Math.PI * (this.phase() - 0.375));
  }

  private phase(): number {
    return (this.startPhase + this.t / this.dayLengthMs) % 1;
  }

  private currentDemand(): number {
    return Math.max(20, dailyDemand(this.phase()) * this.demandDrift.value + this.demandNoise.value);
  }

  private speedSetpoint(p: Pump, runningCount: number): number {
    const share = this.demand / Math.max(1, runningCount);
    return clamp(rpmForFlow(share, p.efficiency.value), RPM_MIN_RUN, RPM_MAX_RUN);
  }

  /** Motor current: a magnetising floor plus power, which goes with the cube of speed (affinity laws). */
  private motorCurrent(p: Pump): number {
    if (p.rpm < 1) return 0;
    const friction = this.fault?.kind === 'overheat' && this.fault.pump === p.id && this.fault.phase !== 'cooling';
    return (6 + 50 * (p.rpm / 1800) ** 3) * (friction ? 1.08 : 1);
  }

  private bearingTarget(p: Pump): number {
    if (p.rpm < 1) return this.roomTemp + 4;
    return 0.3 * this.roomTemp + 47 + 20 * (p.rpm / 1800) ** 2 + clamp(p.tempOffset.value, -3, 3);
  }

  private roomTarget(): number {
    const heat = this.pumps.reduce((s, p) => s + p.current, 0);
    return this.ambient + 2 + 0.08 * heat;
  }

  private fanTarget(): number {
    return clamp(300 + 110 * (this.roomTemp - 24), 250, 1150);
  }

  private valveTarget(): number {
    if (this.valveSetpoint !== null) {
      if (this.t < this.valveOverrideUntil) return this.valveSetpoint;
      this.valveSetpoint = null;
      this.event('command', 'valve1 back in automatic after manual override', { device: 'valve1' });
    }
    return clamp(15 + (80 * this.demand) / 260, 5, 98);
  }

  /**
   * Advances the plant by dtMs of simulated time and returns the telemetry to publish, stamped with nowMs
   * (wall-clock epoch ms). A pump whose sensor is silent (fault) is left out.
   */
  step(dtMs: number, nowMs: number): SimMessage[] {
    let left = Math.max(0, dtMs);
    while (left > 0) {
      const dt = Math.min(SUBSTEP_MS, left);
      this.substep(dt);
      left -= dt;
    }
    return this.telemetry(nowMs);
  }

  /** Log-worthy things that happened since the last call (faults, trips, commands). */
  takeEvents(): SimEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** The topic filter the runner subscribes to for commands. */
  get commandFilters(): string[] {
    return [`${this.prefix}/pumps/+/cmd`, `${this.prefix}/+/cmd`];
  }

  /** The topic filter that covers everything the model publishes. */
  get topicFilter(): string {
    return `${this.prefix}/#`;
  }

  /**
   * Obeys `{"action":"start"|"stop"}` on `<prefix>/pumps/pumpN/cmd` and `{"action":"setpoint","value":0..100}`
   * on `<prefix>/valve1/cmd` (the discharge valve's opening in %, held for the manual-override time).
   * Returns the acknowledgement to publish on `<topic>/ack` (not retained: a late subscriber must not
   * mistake an old ack for a fresh one), with the command's `id` echoed when it had one.
   */
  handleCommand(topic: string, payload: string | Uint8Array, nowMs: number): SimMessage[] {
    const parts = topic.split('/');
    const prefixParts = this.prefix.split('/').length;
    // Pumps live under <prefix>/pumps/; other devices directly under the prefix (and take no commands).
    const grouped = parts[prefixParts] === 'pumps' ? 1 : 0;
    if (parts.length !== prefixParts + 2 + grouped || parts[prefixParts + 1 + grouped] !== 'cmd') return [];
    const device = parts[prefixParts + grouped];
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
    let action = '';
    let id: string | undefined;
    let value: unknown;
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object') {
        const b = body as { action?: unknown; id?: unknown; value?: unknown };
        if (typeof b.action === 'string') action = b.action;
        // Echoed as text, cut short: it only identifies the command.
        if (typeof b.id === 'string' || typeof b.id === 'number') id = String(b.id).slice(0, 100);
        value = b.value;
      }
    } catch {
      // Answered below as a bad payload.
    }
    const ack = (ok: boolean, reason?: string): SimMessage[] => {
      const body: CommandAck = { action, ok, ts: nowMs };
      if (reason) body.reason = reason;
      if (id !== undefined) body.id = id;
      return [{ topic: `${topic}/ack`, payload: JSON.stringify(body), retain: false }];
    };
    if (device === 'valve1' && !grouped) {
      if (action !== 'setpoint') return ack(false, 'payload must be {"action":"setpoint","value":0..100}');
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100)
        return ack(false, 'valve setpoint must be a number from 0 to 100 %');
      this.valveSetpoint = value;
      this.valveOverrideUntil = this.t + OVERRIDE_MS;
      this.event('command', `command: valve1 to ${value} % (manual for ${OVERRIDE_MS / MINUTE} min)`, {
        device: 'valve1',
      });
      return ack(true);
    }
    if (action !== 'start' && action !== 'stop') return ack(false, 'payload must be {"action":"start"|"stop"}');
    const pump = this.pumps.find((p) => p.id === device);
    if (!pump) return ack(false, `${device} takes no commands`);
    if (action === 'start') {
      if (pump.tripped) return ack(false, `${pump.id} is tripped (bearing temperature); it resets when cool`);
      pump.mode = 'manual-on';
      pump.on = true;
    } else {
      pump.mode = 'manual-off';
      pump.on = false;
    }
    pump.overrideUntil = this.t + OVERRIDE_MS;
    this.event('command', `command: ${pump.id} ${action} (manual for ${OVERRIDE_MS / MINUTE} min)`, {
      device: pump.id,
    });
    return ack(true);
  }

  private event(kind: SimEvent['kind'], text: string, extra: { fault?: FaultKind; device?: string } = {}): void {
    this.events.push({ simMs: this.t, kind, text, ...extra });
  }

  private substep(dt: number): void {
    const rng = this.rng;
    this.t += dt;
    this.ambientUpdate();
    this.demandDrift.step(dt, rng);
    this.demandNoise.step(dt, rng);
    this.supplyNoise.step(dt, rng);
    for (const p of this.pumps) {
      p.tempOffset.step(dt, rng);
      p.efficiency.step(dt, rng);
    }
    this.demand = this.currentDemand();

    this.updateModes();
    if (this.faultsOn) this.updateFault();
    this.stage(dt);
    this.updatePumps(dt);
    this.updateTank(dt);

    this.roomTemp = lag(this.roomTemp, this.roomTarget(), dt, 2 * MINUTE);
    this.fanRpm = lag(this.fanRpm, this.fanTarget(), dt, 10_000);
    this.valve = lag(this.valve, this.valveTarget(), dt, 15_000);
  }

  private updateModes(): void {
    for (const p of this.pumps) {
      if (p.mode !== 'auto' && this.t >= p.overrideUntil) {
        p.mode = 'auto';
        this.event('command', `${p.id} back in automatic after manual override`, { device: p.id });
      }
      if (p.tripped) {
        p.on = false;
        // Auto-reset so an unattended demo recovers: cool enough and locked out long enough.
        if (p.temp < 60 && this.t - p.trippedAt >= 90_000) {
          p.tripped = false;
          this.event('reset', `${p.id} trip reset (bearing ${p.temp.toFixed(1)} °C), available again`, {
            device: p.id,
          });
        }
      } else if (p.mode === 'manual-on') p.on = true;
      else if (p.mode === 'manual-off') p.on = false;
    }
  }

  /** Duty/standby: start the least-worn standby pump when demand needs it, stop the most-worn when not. */
  private stage(dt: number): void {
    const running = this.pumps.filter((p) => p.on);
    const n = running.length;
    const standby = this.pumps.filter((p) => !p.on && p.mode === 'auto' && !p.tripped);
    const autoRunning = running.filter((p) => p.mode === 'auto');
    this.stageUpMs = standby.length > 0 && (n === 0 || this.demand > n * STAGE_UP) ? this.stageUpMs + dt : 0;
    this.stageDownMs =
      n > 1 && autoRunning.length > 0 && this.demand < (n - 1) * STAGE_DOWN ? this.stageDownMs + dt : 0;
    // With nothing running (a trip, an operator stop) the standby starts at once; otherwise wait, so
    // that a gust of demand does not cycle pumps.
    const upDelay = n === 0 ? 2_000 : 10_000;
    const dwellOk = n === 0 || this.t - this.lastStageAt >= 15_000;
    if (this.stageUpMs >= upDelay && dwellOk) {
      const next = standby.reduce((a, b) => (b.runMs < a.runMs ? b : a));
      next.on = true;
      this.lastStageAt = this.t;
      this.stageUpMs = 0;
    } else if (this.stageDownMs >= 20_000 && dwellOk) {
      // Keep a pump with a developing bearing fault running: the scenario is that it trips, as it would.
      const failing = this.fault?.kind === 'overheat' ? this.fault.pump : undefined;
      const candidates = autoRunning.filter((p) => p.id !== failing);
      const next = (candidates.length > 0 ? candidates : autoRunning).reduce((a, b) => (b.runMs > a.runMs ? b : a));
      next.on = false;
      this.lastStageAt = this.t;
      this.stageDownMs = 0;
    }
  }

  private updatePumps(dt: number): void {
    const running = this.pumps.filter((p) => p.on).length;
    const s = dt / 1000;
    for (const p of this.pumps) {
      if (p.on) {
        p.runMs += dt;
        const target = this.speedSetpoint(p, running);
        p.rpm = p.rpm < target ? Math.min(target, p.rpm + ACCEL_RPM_S * s) : Math.max(target, p.rpm - DECEL_RPM_S * s);
      } else if (p.tripped) {
        // A trip opens the contactor: the pump coasts down instead of following the drive's ramp.
        p.rpm = p.rpm < 20 ? 0 : lag(p.rpm, 0, dt, 3_000);
      } else {
        p.rpm = Math.max(0, p.rpm - DECEL_RPM_S * s);
      }
      p.flow = pumpFlow(p.rpm, p.efficiency.value);
      p.current = this.motorCurrent(p);

      const f = this.fault;
      if (f?.kind === 'overheat' && f.pump === p.id && f.phase !== 'cooling') {
        // A failing bearing: heat far beyond what the load explains, rising fast then hovering at the limit.
        p.temp = f.phase === 'heating' ? lag(p.temp, OVERHEAT_TARGET, dt, f.tau) : lag(p.temp, 98.5, dt, 15_000);
      } else {
        // Heats with load, cools when stopped: bearing and housing are a big thermal mass.
        const tau = p.rpm > 1 ? 2 * MINUTE : p.temp > 70 ? MINUTE : 3 * MINUTE;
        p.temp = lag(p.temp, this.bearingTarget(p), dt, tau);
      }
    }
  }

  private updateTank(dt: number): void {
    this.outflow = this.pumps.reduce((s, p) => s + p.flow, 0);
    const f = this.fault;
    let target: number;
    let tau: number;
    if (f?.kind === 'overflow' && f.phase !== 'recover') {
      // The inlet valve sticks open on a supply surge.
      target = this.outflow + 230;
      tau = 5_000;
    } else if (this.level > HIGH_LEVEL_CUTOFF) {
      target = 0;
      tau = 8_000;
    } else {
      // Level controller: feed-forward of what the pumps take, plus a proportional correction.
      target = this.outflow + 5 * (LEVEL_SETPOINT - this.level) + this.supplyNoise.value;
      tau = 45_000;
    }
    this.inflow = Math.max(0, lag(this.inflow, Math.max(0, target), dt, tau));
    const hours = dt / 3_600_000;
    this.level += ((this.inflow - this.outflow) * hours) / TANK_M3_PER_PERCENT;
    this.level = clamp(this.level, 0, WEIR_LEVEL);
  }

  private updateFault(): void {
    const f = this.fault;
    if (!f) {
      if (this.t >= this.nextFaultAt) this.startFault();
      return;
    }
    const age = this.t - f.since;
    if (f.kind === 'overheat') {
      const p = this.pumpById(f.pump);
      if (f.phase !== 'cooling' && !p.on) {
        // Stopped by an operator before it tripped: it cools like any stopped pump.
        f.phase = 'cooling';
        f.since = this.t;
      } else if (f.phase === 'heating' && (p.temp >= 97 || age >= 75_000)) {
        f.phase = 'hold';
        f.since = this.t;
      } else if (f.phase === 'hold') {
        if (age >= OVERHEAT_HOLD_MS) {
          p.tripped = true;
          p.trippedAt = this.t;
          p.on = false;
          // A trip cancels a manual start: after the reset the pump must not restart on its own.
          if (p.mode === 'manual-on') p.mode = 'auto';
          f.phase = 'cooling';
          f.since = this.t;
          this.event('trip', `fault: ${p.id} tripped on high bearing temperature (${p.temp.toFixed(1)} °C)`, {
            fault: 'overheat',
            device: p.id,
          });
        }
      } else if (f.phase === 'cooling' && p.temp < 75) {
        this.endFault(`fault end: ${p.id} bearing cooled to ${p.temp.toFixed(1)} °C`);
      }
    } else if (f.kind === 'overflow') {
      if (f.phase === 'surge' && (this.level >= 97 || age >= 180_000)) {
        f.phase = 'spill';
        f.since = this.t;
      } else if (f.phase === 'spill' && age >= OVERFLOW_SPILL_MS) {
        f.phase = 'recover';
        f.since = this.t;
      } else if (f.phase === 'recover' && this.level < 85) {
        this.endFault(`fault end: tank1 level back to ${this.level.toFixed(1)} %`);
      }
    } else if (age >= SILENT_MS) {
      this.endFault(`fault end: ${f.pump} telemetry resumed`);
    }
  }

  private startFault(): void {
    // Walk the rotation; a kind that cannot happen now (no pump running to overheat) is skipped.
    for (let tries = 0; tries < FAULT_ROTATION.length; tries++) {
      const kind = FAULT_ROTATION[this.faultCount % FAULT_ROTATION.length];
      const lap = Math.floor(this.faultCount / FAULT_ROTATION.length);
      this.faultCount++;
      if (kind === 'overheat') {
        const running = this.pumps.filter((p) => p.on && !p.tripped && p.rpm > RPM_MIN_RUN * 0.9);
        if (running.length === 0) continue;
        // Rotate which pump fails, among those running.
        const p = running[lap % running.length];
        // Chosen so the bearing passes 97 °C about 50 s from now, whatever temperature it starts at.
        const tau = 50_000 / Math.log((OVERHEAT_TARGET - Math.min(p.temp, 90)) / (OVERHEAT_TARGET - 97));
        this.fault = { kind, pump: p.id, phase: 'heating', since: this.t, tau };
        this.event('fault-start', `fault: ${p.id} bearing overheating`, { fault: kind, device: p.id });
      } else if (kind === 'overflow') {
        this.fault = { kind, phase: 'surge', since: this.t };
        this.event('fault-start', 'fault: tank1 overflowing (inlet stuck open on a supply surge)', {
          fault: kind,
          device: 'tank1',
        });
      } else {
        const pump = PUMP_IDS[(lap + 1) % PUMP_IDS.length];
        this.fault = { kind, pump, since: this.t };
        this.event('fault-start', `fault: ${pump} sensor silent (no telemetry for ${SILENT_MS / 1000} s)`, {
          fault: kind,
          device: pump,
        });
      }
      this.nextFaultAt = this.t + this.faultEveryMs;
      return;
    }
    this.nextFaultAt = this.t + 10_000;
  }

  private endFault(text: string): void {
    const f = this.fault;
    if (!f) return;
    this.event('fault-end', text, { fault: f.kind, device: f.kind === 'overflow' ? 'tank1' : f.pump });
    this.fault = undefined;
    // A fault that ran long pushes the next one back, so faults never overlap and the plant is seen normal.
    this.nextFaultAt = Math.max(this.nextFaultAt, this.t + FAULT_GAP_MS);
  }

  private pumpById(id: PumpId): Pump {
    return this.pumps.find((p) => p.id === id)!;
  }

  private noise(sd: number): number {
    return sd * this.rng.gauss();
  }

  private telemetry(ts: number): SimMessage[] {
    const out: SimMessage[] = [];
    const silent = this.fault?.kind === 'silent' ? this.fault.pump : undefined;
    const msg = (device: string, body: object) =>
      out.push({
        topic: `${this.prefix}/${devicePath(device)}/telemetry`,
        payload: JSON.stringify(body),
        retain: true,
      });
    for (const p of this.pumps) {
      // Draw the noise even for a silent pump, so the rest of the run does not depend on whether it was.
      const rpmNoise = this.noise(4);
      const flowNoise = this.noise(0.6);
      const tempNoise = this.noise(0.15);
      const currentNoise = this.noise(0.3);
      if (p.id === silent) continue;
      const spinning = p.rpm >= 1;
      const body: PumpTelemetry = {
        ts,
        running: p.on,
        rpm: spinning ? Math.round(clamp(p.rpm + rpmNoise, 0, 1800)) : 0,
        flow: p.flow > 0 ? round(clamp(p.flow + flowNoise, 0, 120), 1) : 0,
        bearing: { temp: round(p.temp + tempNoise, 2) },
        motor: { current: spinning ? round(Math.max(0, p.current + currentNoise), 1) : 0 },
      };
      msg(p.id, body);
    }
    const tank: TankTelemetry = {
      ts,
      level: round(clamp(this.level + this.noise(0.12), 0, 100), 2),
      inflow: round(Math.max(0, this.inflow + this.noise(1.5)), 1),
      outflow: round(Math.max(0, this.outflow + this.noise(1.5)), 1),
    };
    msg('tank1', tank);
    const fan: FanTelemetry = { ts, rpm: Math.round(clamp(this.fanRpm + this.noise(6), 0, 1200)) };
    msg('fan1', fan);
    const valve: ValveTelemetry = { ts, position: round(clamp(this.valve + this.noise(0.3), 0, 100), 1) };
    msg('valve1', valve);
    return out;
  }
}

/**
 * Where a device publishes under the prefix. Pumps are grouped under "pumps/" so that one twin pattern,
 * `plant/north/pumps/+pump/telemetry`, matches every pump and nothing else.
 */
export function devicePath(device: string): string {
  return device.startsWith('pump') ? `pumps/${device}` : device;
}
