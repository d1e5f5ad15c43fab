import { describe, expect, it } from 'vitest';
import { Color } from 'three';
import { twinSchema } from '../twin/schema';
import { TelemetryStore } from '../store/telemetry';
import { InstanceBindings, instanceLayout, instanceRuns, type InstancesDef } from './instanceRuntime';
import { AlarmLook } from './alarmLook';
import type { AlarmSnapshot } from '../engine/protocol';

const T0 = 1_700_000_000_000;

function setup(bindings: unknown[]) {
  const twin = twinSchema.parse({
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
    assets: [
      {
        id: 'field',
        model: 'p.glb',
        instances: { rows: 2, columns: 3, spacing: [2, 4], bindings },
      },
    ],
    signals: [{ id: 'r{row}c{col}.power', topic: 'x/+row/+col', unit: 'W', period: '1s' }],
  });
  const def = twin.assets[0].instances as InstancesDef;
  const store = new TelemetryStore(8);
  store.setDefinitionPeriods([1000]);
  store.online = true;
  const base = new Color('#808080');
  return { rt: new InstanceBindings(def, store, base), store, base };
}

function publish(store: TelemetryStore, id: string, v: number, t = T0) {
  let i = store.indexOf(id);
  if (i < 0) {
    i = store.signals.length;
    store.addSignals([{ index: i, id, def: 0, label: id, unit: 'W' }]);
  }
  store.applyBatch({ type: 'batch', samples: new Float64Array([i, v, t]), count: 1 });
}

const ramp = {
  signal: '{instance}.power',
  effect: {
    kind: 'colorRamp',
    stops: [
      [0, '#ff0000'],
      [100, '#0000ff'],
    ],
  },
};

describe('instanceLayout', () => {
  it('names instances from the key pattern and centres the grid on the asset', () => {
    const { keys, xz } = instanceLayout({ rows: 2, columns: 3, spacing: [2, 4], key: 'r{row}c{column}', bindings: [] });
    expect(keys).toEqual(['r0c0', 'r0c1', 'r0c2', 'r1c0', 'r1c1', 'r1c2']);
    expect([...xz.slice(0, 2)]).toEqual([-2, -2]);
    expect([...xz.slice(10, 12)]).toEqual([2, 2]);
  });
});

describe('instanceRuns', () => {
  it('groups instances whose signals are consecutive in the store, leaving out instances without one', () => {
    const { runs, count } = instanceRuns(Int32Array.from([5, 6, 7, -1, 8, 2, 3, -1]));
    expect(count).toBe(3);
    expect([...runs]).toEqual([0, 5, 3, 4, 8, 1, 5, 2, 2]);
    expect(instanceRuns(Int32Array.from([-1, -1])).count).toBe(0);
  });
});

/** A ramp with a step: red to green up to 10, then blue to white (two stops at 10). */
const stepRamp = {
  signal: '{instance}.power',
  effect: {
    kind: 'colorRamp',
    stops: [
      [0, '#ff0000'],
      [10, '#00ff00'],
      [10, '#0000ff'],
      [20, '#ffffff'],
    ],
  },
} as const;

describe('InstanceBindings', () => {
  it('colours every instance from its own signal whatever order the store met the signals in, as more appear', () => {
    const { rt, store, base } = setup([ramp]);
    const colourOf = (v: number) => new Color('#ff0000').lerp(new Color('#0000ff'), v / 100);
    const expectColours = (byKey: Record<string, number>) =>
      rt.keys.forEach((key, k) => {
        const v = byKey[key];
        const e = v === undefined ? base : colourOf(v);
        expect(
          [...rt.colors.slice(k * 3, k * 3 + 3)].map((x) => x.toFixed(5)),
          key,
        ).toEqual([e.r, e.g, e.b].map((x) => Math.fround(x).toFixed(5)));
      });
    // Store indices 0.. in this order: runs of instances broken where the order jumps.
    const first = { r1c0: 10, r1c1: 20, r0c1: 30, r0c2: 40 };
    for (const [key, v] of Object.entries(first)) publish(store, `${key}.power`, v);
    rt.apply(T0);
    expectColours(first);
    const all = { ...first, r1c2: 50, r0c0: 60 };
    publish(store, 'r1c2.power', 50);
    publish(store, 'r0c0.power', 60);
    rt.apply(T0 + 10);
    expectColours(all);
  });

  it('colours each instance from its own signal, leaving the others at the model colour', () => {
    const { rt, store, base } = setup([ramp]);
    publish(store, 'r1c2.power', 100);
    rt.apply(T0);
    expect(rt.colorsChanged).toBe(true);
    const blue = new Color('#0000ff');
    expect([...rt.colors.slice(15, 18)]).toEqual([blue.r, blue.g, blue.b].map(Math.fround));
    expect([...rt.colors.slice(0, 3)]).toEqual([base.r, base.g, base.b].map(Math.fround));
  });

  it('blends a ramp between its stops', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 25);
    rt.apply(T0);
    const expected = new Color('#ff0000').lerp(new Color('#0000ff'), 0.25);
    expect([...rt.colors.slice(0, 3)].map((x) => x.toFixed(5))).toEqual(
      [expected.r, expected.g, expected.b].map((x) => Math.fround(x).toFixed(5)),
    );
  });

  it('blends in the segment a value falls in, across a step (two stops at one value) and past either end', () => {
    const { rt, store } = setup([stepRamp]);
    const values = [5, 10, 15, -3, 25, 20];
    values.forEach((v, k) => publish(store, `r${Math.floor(k / 3)}c${k % 3}.power`, v));
    rt.apply(T0);
    const c = (hex: string) => new Color(hex);
    const expected = [
      c('#ff0000').lerp(c('#00ff00'), 0.5),
      c('#00ff00'), // at the step: the end of the segment below it
      c('#0000ff').lerp(c('#ffffff'), 0.5),
      c('#ff0000'),
      c('#ffffff'),
      c('#ffffff'),
    ];
    expected.forEach((e, k) =>
      expect([...rt.colors.slice(k * 3, k * 3 + 3)].map((x) => x.toFixed(5))).toEqual(
        [e.r, e.g, e.b].map((x) => Math.fround(x).toFixed(5)),
      ),
    );
  });

  it('blends each value in its own segment when neighbours jump between segments and back', () => {
    const { rt, store } = setup([stepRamp]);
    // The pass keeps the last segment it blended; each of these leaves it for another one.
    const values = [15, 5, 15, 0, 9.99, 10.01];
    values.forEach((v, k) => publish(store, `r${Math.floor(k / 3)}c${k % 3}.power`, v));
    rt.apply(T0);
    const c = (hex: string) => new Color(hex);
    const expected = [
      c('#0000ff').lerp(c('#ffffff'), 0.5),
      c('#ff0000').lerp(c('#00ff00'), 0.5),
      c('#0000ff').lerp(c('#ffffff'), 0.5),
      c('#ff0000'),
      c('#ff0000').lerp(c('#00ff00'), 0.999),
      c('#0000ff').lerp(c('#ffffff'), 0.001),
    ];
    expected.forEach((e, k) =>
      expect(
        [...rt.colors.slice(k * 3, k * 3 + 3)].map((x) => x.toFixed(5)),
        `value ${values[k]}`,
      ).toEqual([e.r, e.g, e.b].map((x) => Math.fround(x).toFixed(5))),
    );
  });

  it('colours by thresholds: the colour below the first stop, then the last stop reached', () => {
    const { rt, store, base } = setup([
      {
        signal: '{instance}.power',
        effect: {
          kind: 'colorThresholds',
          below: '#00ff00',
          stops: [
            [10, 'normal'],
            [100, '#0000ff'],
          ],
        },
      },
    ]);
    publish(store, 'r0c0.power', 5);
    publish(store, 'r0c1.power', 10);
    publish(store, 'r0c2.power', 150);
    rt.apply(T0);
    const green = new Color('#00ff00');
    const blue = new Color('#0000ff');
    expect([...rt.colors.slice(0, 3)]).toEqual([green.r, green.g, green.b].map(Math.fround));
    expect([...rt.colors.slice(3, 6)]).toEqual([base.r, base.g, base.b].map(Math.fround));
    expect([...rt.colors.slice(6, 9)]).toEqual([blue.r, blue.g, blue.b].map(Math.fround));
  });

  it('after the store is reset for a new session, shows each instance its own signal again', () => {
    const { rt, store, base } = setup([ramp]);
    publish(store, 'r0c0.power', 100);
    rt.apply(T0);
    store.reset();
    store.online = true;
    // The new session meets r0c1 first: it takes the index r0c0 had.
    publish(store, 'r0c1.power', 0);
    rt.apply(T0);
    const red = new Color('#ff0000');
    expect([...rt.colors.slice(0, 3)]).toEqual([base.r, base.g, base.b].map(Math.fround));
    expect([...rt.colors.slice(3, 6)]).toEqual([red.r, red.g, red.b].map(Math.fround));
  });

  it('does nothing on a frame where no value changed', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 50);
    rt.apply(T0);
    rt.apply(T0 + 10);
    expect(rt.colorsChanged).toBe(false);
  });

  it('washes out an instance whose value went stale', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 0);
    rt.apply(T0);
    const live = rt.colors[0];
    expect(rt.staleChanged(T0 + 5_000)).toBe(true);
    rt.apply(T0 + 5_000);
    expect(rt.stale[0]).toBe(1);
    expect(rt.colors[0]).toBeLessThan(live);
    expect(rt.colors[1]).toBeGreaterThan(0.3);
  });

  it('washes out every instance when the connection drops, and restores them when it returns', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 50);
    rt.apply(T0);
    rt.apply(T0 + 10);
    expect(rt.stale[0]).toBe(0);
    rt.online = false;
    rt.apply(T0 + 20);
    expect(rt.stale[0]).toBe(1);
    expect(rt.colorsChanged).toBe(true);
    rt.online = true;
    rt.apply(T0 + 30);
    expect(rt.stale[0]).toBe(0);
  });

  it('draws a stale instance live again on the frame its next value arrives', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 0);
    rt.apply(T0);
    const live = rt.colors[0];
    expect(rt.staleChanged(T0 + 5_000)).toBe(true);
    rt.apply(T0 + 5_000);
    expect(rt.stale[0]).toBe(1);
    publish(store, 'r0c0.power', 0, T0 + 5_000);
    rt.apply(T0 + 5_000);
    expect(rt.stale[0]).toBe(0);
    expect(rt.colors[0]).toBe(live);
  });

  it('washes out a value that arrives already stale (an old timestamp) on its first frame', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c0.power', 50, T0);
    publish(store, 'r0c1.power', 50, T0);
    rt.apply(T0);
    publish(store, 'r0c1.power', 50, T0 - 60_000);
    rt.apply(T0 + 10);
    expect([...rt.stale.slice(0, 2)]).toEqual([0, 1]);
    expect(rt.colors[3]).not.toBe(rt.colors[0]);
  });

  it('with several colour bindings, shows the last one that has a value', () => {
    const { rt, store } = setup([
      ramp,
      {
        signal: '{instance}.alt',
        effect: { kind: 'colorThresholds', below: '#00ff00', stops: [[10, '#ffff00']] },
      },
    ]);
    publish(store, 'r0c0.power', 100);
    rt.apply(T0);
    const blue = new Color('#0000ff');
    expect([...rt.colors.slice(0, 3)]).toEqual([blue.r, blue.g, blue.b].map(Math.fround));
    publish(store, 'r0c0.alt', 20);
    rt.apply(T0 + 10);
    const yellow = new Color('#ffff00');
    expect([...rt.colors.slice(0, 3)]).toEqual([yellow.r, yellow.g, yellow.b].map(Math.fround));
  });

  const alarm = (state: AlarmSnapshot['state'], asset = 'field/r0c1', priority: AlarmSnapshot['priority'] = 'high') =>
    ({ id: 'a', message: 'm', priority, asset, signal: 'r0c1.power', state, value: 0, raisedAt: T0 }) as AlarmSnapshot;
  // Blink phase: blinkOn(t) is on in the first half of each 1 s period (ON is a whole second).
  const ON = 1_700_000_000_000;
  const OFF = ON + 500;

  it('keeps washed-out and alarm looks while every other instance is recoloured', () => {
    const { rt, store } = setup([ramp]);
    for (const key of ['r0c0', 'r0c1', 'r0c2']) publish(store, `${key}.power`, 50, ON);
    rt.setAlarms([alarm('acknowledged')], 'field');
    rt.apply(ON);
    const glowing = rt.colors[3];
    publish(store, 'r0c2.power', 50, ON - 60_000);
    rt.apply(ON);
    const washed = [...rt.colors.slice(6, 9)];
    // A stream of new values for the healthy instance: the others keep their looks.
    for (let n = 1; n <= 3; n++) {
      publish(store, 'r0c0.power', 50 + n, ON);
      rt.apply(ON + n);
      expect(rt.colors[3]).toBe(glowing);
      expect([...rt.colors.slice(6, 9)]).toEqual(washed);
    }
    expect(rt.colors[0]).not.toBe(rt.colors[3]);
  });

  it('makes the instance an unacknowledged alarm belongs to blink, and only that one', () => {
    const { rt, store } = setup([ramp]);
    for (const key of ['r0c0', 'r0c1']) publish(store, `${key}.power`, 50, ON);
    rt.apply(ON);
    const normal = [...rt.colors.slice(3, 6)];
    rt.setAlarms([alarm('active')], 'field');
    expect(rt.alarmLookOf('r0c1')).toBe(AlarmLook.Unacknowledged);
    expect(rt.alarmLookOf('r0c0')).toBe(AlarmLook.None);
    const other = rt.colors[0];
    const frames = [ON, OFF, ON + 1000, OFF + 1000].map((t) => {
      rt.apply(t);
      return [...rt.colors.slice(3, 6)];
    });
    expect(rt.blinking).toBe(true);
    // On and off alternate: brighter in the alarm colour (red up) when lit, the binding colour when not.
    const lit = frames.filter((c) => c[0] > normal[0] + 0.3);
    expect(lit.length).toBe(2);
    expect(frames.filter((c) => c.every((x, i) => Math.abs(x - normal[i]) < 1e-6)).length).toBe(2);
    expect(rt.colors[0]).toBe(other);
  });

  it('glows steadily once acknowledged, and returns to its binding colour when the alarm is gone', () => {
    const { rt, store } = setup([ramp]);
    publish(store, 'r0c1.power', 50, ON);
    rt.apply(ON);
    const normal = rt.colors[3];
    rt.setAlarms([alarm('acknowledged')], 'field');
    rt.apply(ON);
    const a = rt.colors[3];
    rt.apply(OFF);
    expect(rt.colors[3]).toBe(a);
    expect(a).toBeGreaterThan(normal + 0.1);
    expect(rt.blinking).toBe(false);
    rt.setAlarms([], 'field');
    rt.apply(OFF + 10);
    expect(rt.colors[3]).toBeCloseTo(normal, 5);
    expect(rt.alarmLookOf('r0c1')).toBe(AlarmLook.None);
  });

  it('ignores alarms of other assets, unknown instances and shelved alarms', () => {
    const { rt } = setup([ramp]);
    rt.setAlarms(
      [alarm('active', 'other/r0c1'), alarm('active', 'field/r9c9'), alarm('shelved', 'field/r0c0')],
      'field',
    );
    rt.apply(ON);
    expect([...rt.alarm]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rt.blinking).toBe(false);
  });

  it('hides and shows instances with a visible binding', () => {
    const { rt, store } = setup([{ signal: '{instance}.power', effect: { kind: 'visible' } }]);
    publish(store, 'r0c1.power', 0);
    rt.apply(T0);
    expect(rt.shownChanged).toBe(true);
    expect([...rt.shown]).toEqual([1, 0, 1, 1, 1, 1]);
  });

  it('walks the grid for the keyboard, staying on it at the edges', () => {
    const { rt } = setup([ramp]);
    expect(rt.neighbour('r0c0', 0, 1)).toBe('r0c1');
    expect(rt.neighbour('r0c1', 1, 0)).toBe('r1c1');
    expect(rt.neighbour('r1c2', 0, 1)).toBe('r1c2');
    expect(rt.neighbour('r0c0', -1, -1)).toBe('r0c0');
    expect(rt.neighbour('nope', 0, 1)).toBeNull();
  });

  it('lists the signals of one instance for the inspector', () => {
    const { rt } = setup([ramp]);
    expect(rt.signalsOf('r1c0')).toEqual(['r1c0.power']);
    expect(rt.signalsOf('nope')).toEqual([]);
  });

  it('refuses effects an instance cannot show, in the twin file', () => {
    expect(() => setup([{ signal: '{instance}.x', effect: { kind: 'spin' } }])).toThrow(/instanced assets support/);
  });
});
