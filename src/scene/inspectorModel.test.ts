import { afterEach, describe, expect, it } from 'vitest';
import { Group, Mesh } from 'three';
import { twinSchema } from '../twin/schema';
import type { AlarmSnapshot } from '../engine/protocol';
import { registerAsset, equipmentPathOf, equipmentPaths } from './sceneRegistry';
import { hoverText, inspectorContent } from './inspectorModel';

const twin = twinSchema.parse({
  id: 't',
  title: 'T',
  connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
  assets: [{ id: 'station', model: 's.glb' }],
  signals: [{ id: '{p}.temp', topic: '+p' }],
  bindings: [
    { signal: 'pump1.temp', node: 'station/Pump1_Motor', effect: { kind: 'visible' } },
    { signal: 'pump1.rpm', node: 'station/Pump1_Impeller', effect: { kind: 'spin' } },
    { signal: 'pump1.temp', node: 'station/Pump1_Motor', effect: { kind: 'label' } },
    { signal: 'tank1.level', node: 'station/Tank1', effect: { kind: 'visible' } },
  ],
});

function model() {
  const root = new Group();
  const group = (name: string, ...children: string[]) => {
    const g = new Group();
    g.name = name;
    for (const c of children) {
      const m = new Mesh();
      m.name = c;
      g.add(m);
    }
    root.add(g);
    return g;
  };
  const pump = group('Pump1', 'Pump1_Motor', 'Pump1_Impeller');
  group('Tank1', 'Tank1_Shell');
  return { root, pump, unregister: registerAsset('station', root) };
}

const alarm = (id: string, asset: string): AlarmSnapshot =>
  ({ id, asset, message: id, priority: 'high', signal: 'x', state: 'active', value: 1, raisedAt: 0 }) as AlarmSnapshot;

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

describe('inspectorContent', () => {
  it('lists the signals bound to parts inside the selected equipment, once each', () => {
    cleanup = model().unregister;
    expect(inspectorContent(twin, 'station/Pump1', []).signals).toEqual(['pump1.temp', 'pump1.rpm']);
  });

  it('lists alarms raised on the selection, on parts inside it, and on its ancestors, but not on neighbours', () => {
    cleanup = model().unregister;
    const alarms = [alarm('a', 'station/Pump1'), alarm('b', 'station/Tank1'), alarm('c', 'station/Pump1_Motor')];
    expect(inspectorContent(twin, 'station/Pump1', alarms).alarms.map((a) => a.id)).toEqual(['a', 'c']);
    expect(inspectorContent(twin, 'station/Pump1_Motor', alarms).alarms.map((a) => a.id)).toEqual(['a', 'c']);
  });
});

describe('hoverText', () => {
  const values: Record<string, number> = { 'pump1.temp': 71.5 };
  const read = (stale: boolean) => (id: string) => ({ value: values[id] ?? NaN, unit: '°C', stale });

  it('names the part and the value of its first bound signal', () => {
    cleanup = model().unregister;
    expect(hoverText(twin, 'station/Pump1', read(false))).toBe('Pump1 · 71.5 °C');
    expect(hoverText(twin, 'station/Pump1', read(true))).toBe('Pump1 · 71.5 °C (stale)');
  });

  it('is just the name when nothing is bound or there is no value yet', () => {
    cleanup = model().unregister;
    expect(hoverText(twin, 'station/Tank1', read(false))).toBe('Tank1');
    expect(hoverText(twin, 'station/Pipe', read(false))).toBe('Pipe');
  });
});

describe('equipment paths', () => {
  it('names the part a clicked mesh is, not the top-level group above it', () => {
    const m = model();
    cleanup = m.unregister;
    expect(equipmentPathOf(m.pump.children[1])).toBe('station/Pump1_Impeller');
    expect(equipmentPathOf(new Mesh())).toBeNull();
  });

  it('lists every asset’s equipment in order, nested parts after their group, for the tree and the keyboard', () => {
    cleanup = model().unregister;
    expect(equipmentPaths(['station', 'missing'])).toEqual([
      'station/Pump1',
      'station/Pump1_Motor',
      'station/Pump1_Impeller',
      'station/Tank1',
      'station/Tank1_Shell',
    ]);
  });
});
