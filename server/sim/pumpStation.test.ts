import { describe, expect, it } from 'vitest';
import {
  PUMP_IDS,
  PumpStation,
  type PumpStationOptions,
  type PumpTelemetry,
  type SimEvent,
  type SimMessage,
  type TankTelemetry,
} from './pumpStation';

const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 1000;

interface Sample {
  simMs: number;
  pumps: Partial<Record<(typeof PUMP_IDS)[number], PumpTelemetry>>;
  tank: TankTelemetry;
  fan: { rpm: number };
  valve: { position: number };
  messages: SimMessage[];
}

/** Runs the model for `minutes` simulated minutes at one step per simulated second. */
function run(options: PumpStationOptions, minutes: number, each?: (model: PumpStation, s: Sample) => void) {
  const model = new PumpStation(options);
  const samples: Sample[] = [];
  const events: SimEvent[] = [];
  for (let i = 1; i <= minutes * 60; i++) {
    const messages = model.step(STEP_MS, T0 + i * STEP_MS);
    const byDevice = new Map(messages.map((m) => [m.topic.split('/').at(-2), JSON.parse(m.payload) as unknown]));
    const s: Sample = {
      simMs: model.simMs,
      pumps: Object.fromEntries(PUMP_IDS.filter((p) => byDevice.has(p)).map((p) => [p, byDevice.get(p)])),
      tank: byDevice.get('tank1') as TankTelemetry,
      fan: byDevice.get('fan1') as { rpm: number },
      valve: byDevice.get('valve1') as { position: number },
      messages,
    };
    samples.push(s);
    events.push(...model.takeEvents());
    each?.(model, s);
  }
  return { model, samples, events };
}

describe('pump-station model', () => {
  it('gives the same messages for the same seed, and different ones for another seed', () => {
    const a = run({ seed: 7 }, 5).samples.flatMap((s) => s.messages);
    const b = run({ seed: 7 }, 5).samples.flatMap((s) => s.messages);
    const c = run({ seed: 8 }, 5).samples.flatMap((s) => s.messages);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('publishes every device on its topic, retained, with the documented fields', () => {
    const { samples } = run({ seed: 1, faults: false }, 1);
    const topics = samples[0].messages.map((m) => m.topic).sort();
    expect(topics).toEqual([
      'plant/north/fan1/telemetry',
      'plant/north/pumps/pump1/telemetry',
      'plant/north/pumps/pump2/telemetry',
      'plant/north/pumps/pump3/telemetry',
      'plant/north/tank1/telemetry',
      'plant/north/valve1/telemetry',
    ]);
    expect(samples[0].messages.every((m) => m.retain)).toBe(true);
    const pump = samples[0].pumps.pump1!;
    expect(Object.keys(pump).sort()).toEqual(['bearing', 'flow', 'motor', 'rpm', 'running', 'ts']);
    expect(typeof pump.running).toBe('boolean');
    expect(typeof pump.bearing.temp).toBe('number');
    expect(typeof pump.motor.current).toBe('number');
    expect(Object.keys(samples[0].tank).sort()).toEqual(['inflow', 'level', 'outflow', 'ts']);
    expect(samples[0].tank.ts).toBe(T0 + STEP_MS);
  });

  it('stays in plausible ranges and clear of every alarm limit over a simulated hour without faults', () => {
    for (const seed of [1, 2, 3]) {
      const { samples } = run({ seed, faults: false }, 60);
      const running = new Set<number>();
      for (const s of samples) {
        expect(Object.keys(s.pumps)).toHaveLength(3); // no sensor goes silent without faults
        for (const p of Object.values(s.pumps)) {
          expect(p.bearing.temp).toBeLessThan(85);
          expect(p.bearing.temp).toBeGreaterThan(0);
          expect(p.rpm).toBeGreaterThanOrEqual(0);
          expect(p.rpm).toBeLessThanOrEqual(1800);
          expect(p.flow).toBeGreaterThanOrEqual(0);
          expect(p.flow).toBeLessThanOrEqual(120);
          expect(p.motor.current).toBeGreaterThanOrEqual(0);
        }
        expect(s.tank.level).toBeGreaterThan(10);
        expect(s.tank.level).toBeLessThan(90);
        expect(s.fan.rpm).toBeGreaterThanOrEqual(0);
        expect(s.fan.rpm).toBeLessThanOrEqual(1200);
        expect(s.valve.position).toBeGreaterThanOrEqual(0);
        expect(s.valve.position).toBeLessThanOrEqual(100);
        running.add(Object.values(s.pumps).filter((p) => p.running).length);
      }
      // Duty/standby follows the day: sometimes one pump is enough, at the peaks three run.
      expect([...running].sort()).toEqual([1, 2, 3]);
      const temps = samples.flatMap((s) =>
        Object.values(s.pumps)
          .filter((p) => p.rpm > 800)
          .map((p) => p.bearing.temp),
      );
      expect(Math.max(...temps)).toBeGreaterThan(60); // a running bearing is warm, not at room temperature
    }
  }, 60_000); // three simulated hours at 1 s steps: seconds of CPU on a loaded 2-core CI machine

  it('runs each kind of fault within 15 simulated minutes when faults are on', () => {
    const lastSeen = new Map<string, number>();
    let longestSilenceMs = 0;
    let overheated: string | undefined;
    let stoppedAfterOverheat = false;
    let maxLevel = 0;
    const { events } = run({ seed: 1, faults: true }, 15, (_m, s) => {
      for (const id of PUMP_IDS) {
        const p = s.pumps[id];
        if (p) {
          longestSilenceMs = Math.max(longestSilenceMs, s.simMs - (lastSeen.get(id) ?? 0));
          lastSeen.set(id, s.simMs);
          if (p.bearing.temp > 95) overheated = id;
          if (overheated === id && !p.running && p.rpm === 0) stoppedAfterOverheat = true;
        }
      }
      maxLevel = Math.max(maxLevel, s.tank.level);
    });
    expect(overheated).toBeDefined();
    expect(stoppedAfterOverheat).toBe(true);
    expect(maxLevel).toBeGreaterThan(95);
    expect(longestSilenceMs).toBeGreaterThan(30_000);
    const starts = events.filter((e) => e.kind === 'fault-start').map((e) => e.fault);
    expect(starts.slice(0, 3)).toEqual(['overheat', 'overflow', 'silent']);
    expect(events.filter((e) => e.kind === 'fault-end').length).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.kind === 'trip')).toBe(true);
  });

  it('schedules the first fault a third of the interval in, and starts faults an interval apart', () => {
    const { events } = run({ seed: 4, faults: true, faultEveryMs: 300_000 }, 30);
    const starts = events.filter((e) => e.kind === 'fault-start');
    expect(starts[0].simMs).toBe(100_000);
    for (let i = 1; i < starts.length; i++)
      expect(starts[i].simMs - starts[i - 1].simMs).toBeGreaterThanOrEqual(300_000);
    expect(starts.length).toBeGreaterThanOrEqual(5);
  });

  it('never faults when faults are off', () => {
    const { events } = run({ seed: 5, faults: false }, 20);
    expect(events.filter((e) => e.fault)).toEqual([]);
  });

  it('starts a stopped pump on command, ramping its speed up over seconds', () => {
    const model = new PumpStation({ seed: 3, faults: false, startPhase: 0 }); // night: one pump is enough
    const idle = (msgs: SimMessage[]) =>
      msgs
        .filter((m) => m.topic.endsWith('/telemetry') && m.topic.includes('/pump'))
        .map((m) => ({ id: m.topic.split('/').at(-2), ...(JSON.parse(m.payload) as PumpTelemetry) }))
        .find((p) => !p.running)!;
    const stopped = idle(model.step(STEP_MS, T0));
    const topic = `plant/north/pumps/${stopped.id}/cmd`;
    const ack = model.handleCommand(topic, '{"action":"start"}', T0 + 1);
    expect(ack).toHaveLength(1);
    expect(ack[0].topic).toBe(`${topic}/ack`);
    expect(ack[0].retain).toBe(false);
    expect(JSON.parse(ack[0].payload)).toEqual({ action: 'start', ok: true, ts: T0 + 1 });

    const rpmAt = (msgs: SimMessage[]) =>
      (JSON.parse(msgs.find((m) => m.topic === `plant/north/pumps/${stopped.id}/telemetry`)!.payload) as PumpTelemetry)
        .rpm;
    const after1s = rpmAt(model.step(1000, T0 + 1000));
    expect(after1s).toBeGreaterThan(0);
    expect(after1s).toBeLessThan(400); // a ramp, not a jump
    let rpm = after1s;
    for (let i = 0; i < 20; i++) rpm = rpmAt(model.step(1000, T0 + 2000 + i * 1000));
    expect(rpm).toBeGreaterThan(1000);
  });

  it('stops a running pump on command, ramping its speed down to zero', () => {
    const model = new PumpStation({ seed: 3, faults: false });
    const first = model.step(STEP_MS, T0).find((m) => {
      const p = JSON.parse(m.payload) as Partial<PumpTelemetry>;
      return m.topic.includes('/pump') && p.running === true;
    })!;
    const id = first.topic.split('/').at(-2)!;
    const ack = model.handleCommand(`plant/north/pumps/${id}/cmd`, Buffer.from('{"action":"stop"}'), T0);
    expect(JSON.parse(ack[0].payload)).toMatchObject({ action: 'stop', ok: true });
    const rpms: number[] = [];
    let running = true;
    for (let i = 0; i < 20; i++) {
      const p = JSON.parse(
        model.step(1000, T0 + i * 1000).find((m) => m.topic === first.topic)!.payload,
      ) as PumpTelemetry;
      rpms.push(p.rpm);
      running = p.running;
    }
    expect(running).toBe(false);
    expect(rpms[0]).toBeGreaterThan(0); // still spinning down after one second
    expect(rpms[rpms.length - 1]).toBe(0);
  });

  it('moves the discharge valve to an operator setpoint and echoes the command id in its acknowledgement', () => {
    const model = new PumpStation({ seed: 3, faults: false });
    const position = (msgs: SimMessage[]) =>
      (JSON.parse(msgs.find((m) => m.topic === 'plant/north/valve1/telemetry')!.payload) as { position: number })
        .position;
    const before = position(model.step(STEP_MS, T0));
    const target = before > 50 ? 10 : 90;
    const ack = model.handleCommand(
      'plant/north/valve1/cmd',
      JSON.stringify({ action: 'setpoint', value: target, id: 'req-7' }),
      T0 + 1,
    );
    expect(ack.map((m) => m.topic)).toEqual(['plant/north/valve1/cmd/ack']);
    expect(JSON.parse(ack[0].payload)).toEqual({ action: 'setpoint', ok: true, ts: T0 + 1, id: 'req-7' });
    let now = before;
    for (let i = 0; i < 90; i++) now = position(model.step(STEP_MS, T0 + 2000 + i * STEP_MS));
    expect(Math.abs(now - target)).toBeLessThan(2);
    expect(model.takeEvents().map((e) => e.text)).toContain(`command: valve1 to ${target} % (manual for 10 min)`);
  });

  it('refuses a valve setpoint outside 0..100 % with a reason, echoing the id', () => {
    const model = new PumpStation({ seed: 3, faults: false });
    const [ack] = model.handleCommand('plant/north/valve1/cmd', '{"action":"setpoint","value":140,"id":"r2"}', T0);
    expect(JSON.parse(ack.payload)).toMatchObject({
      ok: false,
      id: 'r2',
      reason: 'valve setpoint must be a number from 0 to 100 %',
    });
  });

  it('refuses bad commands with a reason and ignores topics that are not commands', () => {
    const model = new PumpStation({ seed: 1 });
    const bad = (topic: string, payload: string) =>
      JSON.parse(model.handleCommand(topic, payload, T0)[0].payload) as { ok: boolean; reason: string };
    expect(bad('plant/north/pumps/pump1/cmd', 'not json')).toMatchObject({ ok: false });
    expect(bad('plant/north/pumps/pump1/cmd', '{"action":"explode"}')).toMatchObject({ ok: false });
    expect(bad('plant/north/tank1/cmd', '{"action":"start"}').reason).toMatch(/no commands/);
    expect(model.handleCommand('plant/north/pumps/pump1/telemetry', '{}', T0)).toEqual([]);
  });

  it('keeps every message under 4096 bytes', () => {
    const { samples } = run({ seed: 9, faults: true, faultEveryMs: 60_000 }, 10);
    const sizes = samples.flatMap((s) => s.messages.map((m) => Buffer.byteLength(m.payload) + m.topic.length));
    expect(Math.max(...sizes)).toBeLessThan(4096);
  });
});
