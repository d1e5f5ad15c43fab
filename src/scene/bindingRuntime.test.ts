import { afterEach, describe, expect, it } from 'vitest';
import { Box3, BoxGeometry, Color, Group, Mesh, MeshStandardMaterial, PerspectiveCamera, Texture } from 'three';
import { twinSchema, type TwinInput } from '../twin/schema';
import { TelemetryStore } from '../store/telemetry';
import type { AlarmSnapshot } from '../engine/protocol';
import { AlarmLook, BindingRuntime, LABEL_TEXT_INTERVAL_MS, type LabelElement } from './bindingRuntime';
import { registerAsset } from './sceneRegistry';
import { overlaidRgb, overlayOf } from './overlay';
import { skinnedArm } from './skinnedArm.testing';

const T0 = 1_700_000_000_000;

function twinWith(bindings: TwinInput['bindings']) {
  return twinSchema.parse({
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
    assets: [{ id: 'plant', model: 'plant.glb' }],
    signals: [
      { id: 'p.temp', topic: 'p', path: 'temp', unit: '°C', label: 'Temperature', period: '1s' },
      { id: 'p.pos', topic: 'p', path: 'pos', unit: '%', period: '1s' },
    ],
    bindings,
  });
}

/** plant > Pump1 (group) > Pump1_Motor, Pump1_Valve (meshes, grey). */
function scene() {
  const root = new Group();
  const pump = new Group();
  pump.name = 'Pump1';
  const mesh = (name: string) => {
    const m = new Mesh(new BoxGeometry(1, 2, 1), new MeshStandardMaterial({ color: '#808080' }));
    m.name = name;
    pump.add(m);
    return m;
  };
  const motor = mesh('Pump1_Motor');
  const valve = mesh('Pump1_Valve');
  valve.position.set(1, 0, 0);
  root.add(pump);
  return { root, motor, valve, unregister: registerAsset('plant', root) };
}

function storeWith(values: Record<string, number>, time = T0) {
  const store = new TelemetryStore(16);
  // Both test signals (definitions 0 and 1) expect an update every second.
  store.setDefinitionPeriods([1000, 1000]);
  store.online = true;
  const ids = Object.keys(values);
  store.addSignals(ids.map((id, index) => ({ index, id, def: index, label: id, unit: '' })));
  const samples = new Float64Array(ids.length * 3);
  ids.forEach((id, i) => samples.set([i, values[id], time], i * 3));
  store.applyBatch({ type: 'batch', samples, count: ids.length });
  return store;
}

/** A label element that counts how often its text is written. */
function countingLabel(): LabelElement & { writes: number } {
  let text = '';
  return {
    writes: 0,
    get textContent() {
      return text;
    },
    set textContent(t: string | null) {
      this.writes++;
      text = t ?? '';
    },
    style: { transform: '', display: '' },
    dataset: {},
  };
}

function set(store: TelemetryStore, id: string, value: number, time = T0) {
  store.applyBatch({ type: 'batch', samples: new Float64Array([store.indexOf(id), value, time]), count: 1 });
}

const materialOf = (m: Mesh) => m.material as MeshStandardMaterial;

/** The colour the part's shader draws (its overlay over its own colour), before lighting. */
function drawn(m: Mesh): Color {
  const material = materialOf(m);
  const overlay = overlayOf(material);
  if (!overlay) return material.color.clone();
  const out = new Color();
  overlaidRgb(overlay, material.color, out);
  return out;
}

/** The alarm glow the part's overlay adds (strength times colour, red channel). */
const glowRed = (m: Mesh) => {
  const g = overlayOf(materialOf(m))?.glow.value;
  return g ? g.x * g.w : 0;
};

function alarm(over: Partial<AlarmSnapshot>): AlarmSnapshot {
  return {
    id: 'a',
    message: 'hot',
    priority: 'urgent',
    asset: 'plant/Pump1',
    signal: 'p.temp',
    state: 'active',
    value: 99,
    raisedAt: T0,
    ...over,
  } as AlarmSnapshot;
}

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('BindingRuntime', () => {
  it('after the store is reset for a new session, reads each binding from its own signal again', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 50, 'p.temp': 20 });
    const rt = new BindingRuntime(
      twinWith([
        {
          signal: 'p.pos',
          node: 'plant/Pump1_Valve',
          effect: { kind: 'rotate', axis: 'z', range: [0, 100], angles: [0, 90] },
        },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    expect(s.valve.rotation.z).toBeCloseTo(Math.PI / 4);
    // The new session meets the signals in another order: p.temp takes the index p.pos had.
    store.reset();
    store.online = true;
    store.addSignals([
      { index: 0, id: 'p.temp', def: 0, label: 'p.temp', unit: '' },
      { index: 1, id: 'p.pos', def: 1, label: 'p.pos', unit: '' },
    ]);
    set(store, 'p.temp', 100);
    set(store, 'p.pos', 0);
    rt.apply(0.016, T0);
    expect(s.valve.rotation.z).toBeCloseTo(0);
  });

  it('turns a node to the angle mapped from the value, on top of its model pose', () => {
    const s = scene();
    cleanup = s.unregister;
    s.valve.rotation.z = 0.5;
    const store = storeWith({ 'p.pos': 50 });
    const rt = new BindingRuntime(
      twinWith([
        {
          signal: 'p.pos',
          node: 'plant/Pump1_Valve',
          effect: { kind: 'rotate', axis: 'z', range: [0, 100], angles: [0, 90] },
        },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    expect(s.valve.rotation.z).toBeCloseTo(0.5 + Math.PI / 4);
    set(store, 'p.pos', 150);
    rt.apply(0.016, T0);
    expect(s.valve.rotation.z).toBeCloseTo(0.5 + Math.PI / 2);
  });

  it('moves a node along an axis by the distance mapped from the value', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 25 });
    const rt = new BindingRuntime(
      twinWith([
        {
          signal: 'p.pos',
          node: 'plant/Pump1_Valve',
          effect: { kind: 'translate', axis: 'x', range: [0, 100], distance: [0, 2] },
        },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    expect(s.valve.position.x).toBeCloseTo(1.5);
  });

  it('washes out a coloured part when its value is older than three periods, and restores it when fresh', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0 + 500);
    const live = drawn(s.motor);
    expect(live.r).toBeGreaterThan(live.g * 5);
    expect(rt.staleChanged(T0 + 2_000)).toBe(false);
    expect(rt.staleChanged(T0 + 3_500)).toBe(true);
    rt.apply(0.016, T0 + 3_500);
    expect(rt.isStale('plant/Pump1_Motor')).toBe(true);
    const stale = drawn(s.motor);
    expect(stale.r).toBeLessThan(stale.g * 2);
    expect(stale.g).toBeGreaterThan(live.g);
    set(store, 'p.temp', 99, T0 + 4_000);
    rt.apply(0.016, T0 + 4_000);
    expect(drawn(s.motor).equals(live)).toBe(true);
  });

  it('draws a value the source marked bad quality as stale', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 20 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } }]),
      store,
    );
    rt.apply(0.016, T0);
    expect(rt.isStale('plant/Pump1_Motor')).toBe(false);
    store.setQuality(store.indexOf('p.temp'), 2, true);
    rt.apply(0.016, T0);
    expect(rt.isStale('plant/Pump1_Motor')).toBe(true);
  });

  it('draws every bound value as stale while the broker connection is down', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 20 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } }]),
      store,
    );
    rt.apply(0.016, T0);
    expect(rt.isStale('plant/Pump1_Motor')).toBe(false);
    rt.online = false;
    rt.apply(0.016, T0);
    expect(rt.isStale('plant/Pump1_Motor')).toBe(true);
  });

  it('blinks a part whose parent node has an unacknowledged alarm, and glows steadily once acknowledged', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } }]),
      store,
    );
    rt.apply(0.016, T0);
    rt.setAlarms([alarm({ state: 'active' })]);
    expect(rt.alarmLook('plant/Pump1_Motor')).toBe(AlarmLook.Unacknowledged);
    rt.apply(0.016, T0 + 100); // first half of the 1 s blink: lit
    const on = glowRed(s.motor);
    expect(on).toBeGreaterThan(0.3);
    expect(drawn(s.motor).r).toBeGreaterThan(drawn(s.motor).g * 5);
    expect(rt.blinking).toBe(true);
    rt.apply(0.016, T0 + 600); // second half: dark
    expect(glowRed(s.motor)).toBe(0);
    expect(drawn(s.motor).getHexString()).toBe('808080');
    rt.setAlarms([alarm({ state: 'acknowledged' })]);
    rt.apply(0.016, T0 + 1_100);
    const steady = glowRed(s.motor);
    rt.apply(0.016, T0 + 1_600);
    expect(glowRed(s.motor)).toBe(steady);
    expect(steady).toBeGreaterThan(0);
    expect(steady).toBeLessThan(on);
    expect(rt.blinking).toBe(false);
    rt.setAlarms([]);
    rt.apply(0.016, T0 + 2_000);
    expect(glowRed(s.motor)).toBe(0);
  });

  it('does not blink parts outside the alarmed node', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } }]),
      store,
    );
    rt.apply(0.016, T0);
    rt.setAlarms([alarm({ asset: 'plant/Pump2' })]);
    expect(rt.alarmLook('plant/Pump1_Motor')).toBe(AlarmLook.None);
  });

  it('recolours only the bound part, never another part that shared its material', () => {
    const s = scene();
    cleanup = s.unregister;
    const shared = new MeshStandardMaterial({ color: '#808080' });
    s.motor.material = shared;
    s.valve.material = shared;
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    expect(drawn(s.valve).getHexString()).toBe('808080');
    expect(drawn(s.motor).getHexString()).toBe(new Color('#d62828').getHexString());
  });

  it('writes a label with value and unit as text, marks it stale, and places it over the part', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 42.25 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'label' } }]),
      store,
    );
    const el: LabelElement = { textContent: '', style: { transform: '', display: '' }, dataset: {} };
    rt.attachLabel(0, el);
    const camera = new PerspectiveCamera(45, 1, 0.1, 100);
    camera.position.set(0, 0, 10);
    camera.updateMatrixWorld();
    rt.apply(0.016, T0, { camera, width: 400, height: 400 });
    expect(el.textContent).toBe('Temperature: 42.3 °C');
    expect(el.dataset.stale).toBe('false');
    expect(el.style.display).toBe('');
    // Above the centre of the screen: the label sits on top of the part.
    const [, x, y] = /translate\((\d+)px, (\d+)px\)/.exec(el.style.transform)!.map(Number);
    expect(x).toBe(200);
    expect(y).toBeLessThan(200);
    rt.apply(0.016, T0 + 10_000, { camera, width: 400, height: 400 });
    expect(el.textContent).toBe('Temperature: 42.3 °C (stale)');
    expect(el.dataset.stale).toBe('true');
  });

  it('shows a label at most four new values a second, the last one too, and a change of staleness at once', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 40 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'label' } }]),
      store,
    );
    const el = countingLabel();
    rt.attachLabel(0, el);
    const camera = new PerspectiveCamera(45, 1, 0.1, 100);
    camera.position.set(0, 0, 10);
    camera.updateMatrixWorld();
    const view = { camera, width: 400, height: 400 };
    rt.apply(0.016, T0, view);
    expect(el.textContent).toBe('Temperature: 40.0 °C');
    expect(rt.labelDue).toBe(0);
    // A fast signal: a new value every 16 ms. The label keeps its text, and says when it may change.
    for (let i = 1; i <= 10; i++) {
      set(store, 'p.temp', 40 + i, T0 + i * 16);
      rt.apply(0.016, T0 + i * 16, view);
    }
    expect(el.writes).toBe(1);
    expect(rt.labelDue).toBe(LABEL_TEXT_INTERVAL_MS - 160);
    // The pass asked for then writes the newest value, though no new value came.
    rt.apply(0.016, T0 + LABEL_TEXT_INTERVAL_MS, view);
    expect(el.textContent).toBe('Temperature: 50.0 °C');
    expect(el.writes).toBe(2);
    expect(rt.labelDue).toBe(0);
    // Stale shows at once, whatever the interval.
    rt.apply(0.016, T0 + LABEL_TEXT_INTERVAL_MS + 10_000, view);
    expect(el.dataset.stale).toBe('true');
    expect(el.writes).toBe(3);
  });

  it('does not write a label whose signal has no value yet again on every pass', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 40 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.other', node: 'plant/Pump1_Motor', effect: { kind: 'label' } }]),
      store,
    );
    const el = countingLabel();
    rt.attachLabel(0, el);
    const camera = new PerspectiveCamera(45, 1, 0.1, 100);
    camera.position.set(0, 0, 10);
    camera.updateMatrixWorld();
    for (let i = 0; i < 5; i++) rt.apply(0.016, T0 + i * 1000, { camera, width: 400, height: 400 });
    expect(el.writes).toBe(1);
  });

  it('reports a binding to a node the model lacks, saying how many named nodes it has', () => {
    const s = scene();
    cleanup = s.unregister;
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.temp', node: 'plant/Pump9_Motor', effect: { kind: 'visible' } }]),
      storeWith({ 'p.temp': 1 }),
    );
    rt.apply(0.016, T0);
    expect(rt.problems).toHaveLength(1);
    expect(rt.problems[0].message).toContain('no node "Pump9_Motor"');
    expect(rt.problems[0].message).toContain('it has 3 named nodes');
  });

  it('lifts a label without an offset by the scene-sized lift, and one with an offset by its own', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 1 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'label' } },
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'label', offset: [0, 0.4, 0] } },
      ]),
      store,
    );
    const sized: LabelElement = { textContent: '', style: { transform: '', display: '' }, dataset: {} };
    const fixed: LabelElement = { textContent: '', style: { transform: '', display: '' }, dataset: {} };
    rt.attachLabel(0, sized);
    rt.attachLabel(1, fixed);
    const camera = new PerspectiveCamera(45, 1, 0.1, 100);
    camera.position.set(0, 0, 10);
    camera.updateMatrixWorld();
    const y = (el: LabelElement) => Number(/translate\(\d+px, (\d+)px\)/.exec(el.style.transform)![1]);
    rt.labelLift = 3;
    rt.apply(0.016, T0, { camera, width: 400, height: 400 });
    // Higher on screen (smaller y) with the larger lift; the written offset is kept.
    expect(y(sized)).toBeLessThan(y(fixed) - 20);
    rt.labelLift = 0.4;
    rt.apply(0.016, T0, { camera, width: 400, height: 400 });
    expect(y(sized)).toBe(y(fixed));
  });

  it('shows a label hidden with its node again when the node shows again, with the camera still', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 1 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.pos', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } },
        { signal: 'p.pos', node: 'plant/Pump1_Motor', effect: { kind: 'label' } },
      ]),
      store,
    );
    const el: LabelElement = { textContent: '', style: { transform: '', display: '' }, dataset: {} };
    rt.attachLabel(1, el);
    const camera = new PerspectiveCamera(45, 1, 0.1, 100);
    camera.position.set(0, 0, 10);
    camera.updateMatrixWorld();
    const view = { camera, width: 400, height: 400 };
    rt.apply(0.016, T0, view);
    expect(el.style.display).toBe('');
    set(store, 'p.pos', 0);
    rt.apply(0.016, T0, view);
    expect(el.style.display).toBe('none');
    set(store, 'p.pos', 1);
    rt.apply(0.016, T0, view);
    expect(el.style.display).toBe('');
  });

  it('asks for more frames only while something spins', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 60 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.pos', node: 'plant/Pump1_Valve', effect: { kind: 'spin' } }]),
      store,
    );
    rt.apply(0.016, T0);
    expect(rt.moving).toBe(true);
    rt.drew();
    set(store, 'p.pos', 0);
    rt.apply(0.016, T0);
    expect(rt.moving).toBe(false);
  });

  it('a part that stops after turning in passes no frame drew asks for the frame that shows where it stopped', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 60 });
    const rt = new BindingRuntime(
      twinWith([{ signal: 'p.pos', node: 'plant/Pump1_Valve', effect: { kind: 'spin' } }]),
      store,
    );
    rt.apply(0.016, T0);
    rt.drew();
    // Turns once more in a pass that the software cap does not draw, then stops.
    rt.apply(0.016, T0);
    set(store, 'p.pos', 0);
    rt.apply(0.016, T0);
    expect(rt.moving).toBe(true);
    expect(rt.touched.slice(0, rt.touchedCount).map((n) => n.name)).toEqual(['Pump1_Valve']);
    rt.drew();
    rt.apply(0.016, T0);
    expect(rt.moving).toBe(false);
    expect(rt.touchedCount).toBe(0);
  });

  it('lists the parts a pass changed (colour, spin, pose) once each, and none for values drawn the same', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.temp': 50, 'p.rpm': 0, 'p.pos': 0 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[80, 'alarm']] } },
        { signal: 'p.rpm', node: 'plant/Pump1_Motor', effect: { kind: 'spin' } },
        {
          signal: 'p.pos',
          node: 'plant/Pump1_Valve',
          effect: { kind: 'translate', axis: 'y', range: [0, 1], distance: [0, 1] },
        },
      ]),
      store,
    );
    const names = () => rt.touched.slice(0, rt.touchedCount).map((n) => n.name);
    rt.apply(0.016, T0);
    // The models were just found: nothing narrower than the whole canvas.
    expect(rt.wholeFrame).toBe(true);
    expect(rt.bound.map((n) => n?.name)).toEqual(['Pump1_Motor', 'Pump1_Valve']);
    rt.drew();
    rt.apply(0.016, T0);
    expect(rt.wholeFrame).toBe(false);
    expect(names()).toEqual([]);
    set(store, 'p.temp', 90);
    set(store, 'p.rpm', 1000);
    rt.apply(0.016, T0);
    expect(names()).toEqual(['Pump1_Motor']);
    rt.drew();
    set(store, 'p.pos', 1);
    rt.apply(0.016, T0);
    expect(names().sort()).toEqual(['Pump1_Motor', 'Pump1_Valve']);
    expect(rt.wholeFrame).toBe(false);
  });

  it('says a frame changed what is drawn only for a new colour, pose or look, not for a spin or a value drawn the same', () => {
    const s = scene();
    cleanup = s.unregister;
    const store = storeWith({ 'p.pos': 60, 'p.temp': 50 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.pos', node: 'plant/Pump1_Valve', effect: { kind: 'spin' } },
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[80, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    expect(rt.changed).toBe(true); // parts found and painted
    rt.apply(0.016, T0);
    expect([rt.changed, rt.moving]).toEqual([false, true]); // the spin alone
    set(store, 'p.temp', 55);
    rt.apply(0.016, T0);
    expect(rt.changed).toBe(false); // below the stop: drawn the same
    set(store, 'p.temp', 90);
    rt.apply(0.016, T0);
    expect(rt.changed).toBe(true); // into the alarm colour
    rt.apply(0.016, T0 + 10_000);
    expect(rt.changed).toBe(true); // gone stale: washed out
  });

  it('turns a bone from a rotate binding, and the skinned part it moves is measured where it is drawn', () => {
    const arm = skinnedArm();
    cleanup = registerAsset('plant', arm.root);
    const store = storeWith({ 'p.pos': 0 });
    const rt = new BindingRuntime(
      twinWith([
        {
          signal: 'p.pos',
          node: 'plant/Elbow',
          effect: { kind: 'rotate', axis: 'z', range: [0, 100], angles: [0, 90] },
        },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    arm.root.updateMatrixWorld(true);
    expect(new Box3().setFromObject(arm.mesh).min.x).toBeGreaterThan(-0.2);
    set(store, 'p.pos', 100);
    rt.apply(0.016, T0);
    expect(arm.elbow.rotation.z).toBeCloseTo(Math.PI / 2);
    arm.root.updateMatrixWorld(true);
    // The forearm now points along -x: bounds (picking, framing, the probe) follow the bone.
    expect(new Box3().setFromObject(arm.mesh).min.x).toBeLessThan(-0.8);
  });

  it('draws the binding colour over a black texture, not multiplied by it', () => {
    const s = scene();
    cleanup = s.unregister;
    s.motor.material = new MeshStandardMaterial({ color: '#ffffff', map: new Texture() });
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    const overlay = overlayOf(materialOf(s.motor))!;
    const texel = new Color('#000000'); // what the black texture gives the shader
    const out = new Color();
    overlaidRgb(overlay, texel, out);
    expect(out.getHexString()).toBe(new Color('#d62828').getHexString());
    set(store, 'p.temp', 20);
    rt.apply(0.016, T0);
    overlaidRgb(overlay, texel, out);
    expect(out.getHexString()).toBe('000000'); // below the stop: the model's own look
  });

  it('gives the model its materials back and frees its copies when disposed', () => {
    const s = scene();
    cleanup = s.unregister;
    const own = s.motor.material as MeshStandardMaterial;
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    const copy = materialOf(s.motor);
    expect(copy).not.toBe(own);
    let freed = 0;
    copy.addEventListener('dispose', () => freed++);
    rt.dispose();
    expect(freed).toBe(1);
    expect(s.motor.material).toBe(own);
    // Still usable (React may mount it again): the next frame takes the node again.
    rt.apply(0.016, T0);
    expect(s.motor.material).not.toBe(own);
  });

  it('gives back the model’s own materials when a bound node sits inside another bound node', () => {
    const s = scene();
    cleanup = s.unregister;
    const own = s.motor.material;
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'visible' } },
      ]),
      storeWith({ 'p.temp': 99 }),
    );
    rt.apply(0.016, T0);
    rt.dispose();
    expect(s.motor.material).toBe(own);
  });

  it('frees a node’s copies when its model goes', () => {
    const s = scene();
    const store = storeWith({ 'p.temp': 99 });
    const rt = new BindingRuntime(
      twinWith([
        { signal: 'p.temp', node: 'plant/Pump1_Motor', effect: { kind: 'colorThresholds', stops: [[95, 'alarm']] } },
      ]),
      store,
    );
    rt.apply(0.016, T0);
    let freed = 0;
    materialOf(s.motor).addEventListener('dispose', () => freed++);
    s.unregister();
    rt.apply(0.016, T0);
    expect(freed).toBe(1);
  });
});
