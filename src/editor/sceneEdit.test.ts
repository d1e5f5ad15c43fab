import { describe, expect, it } from 'vitest';
import { assetIndex, freeId, idsOf, listOf, placementOf, viewFromCamera } from './sceneEdit';
import { engineKey, shareUnchanged } from './preview';
import { validateTwin } from '../twin/validate';
import type { Twin } from '../twin/schema';

describe('placementOf', () => {
  it('stores degrees (the schema unit) from radians, rounded to a tenth', () => {
    expect(placementOf([0, 0, 0], [0, Math.PI / 2, -Math.PI / 4 + 1e-9], [1, 1, 1]).rotation).toEqual([0, 90, -45]);
  });

  it('rounds the position to the millimetre without float noise or -0', () => {
    expect(placementOf([0.1 + 0.2, -0.00001, 1.23456], [0, 0, 0], [1, 1, 1]).position).toEqual([0.3, 0, 1.235]);
  });

  it('writes one scale factor when every axis has it, three otherwise', () => {
    expect(placementOf([0, 0, 0], [0, 0, 0], [2, 2, 2]).scale).toBe(2);
    expect(placementOf([0, 0, 0], [0, 0, 0], [1, 2, 1]).scale).toEqual([1, 2, 1]);
  });
});

describe('viewFromCamera', () => {
  it('names the view with a free id and rounds to the centimetre', () => {
    expect(viewFromCamera({ position: [10.123, 5, -3.456], target: [0, 1.004, 0] }, ['view-1'])).toEqual({
      id: 'view-2',
      camera: { position: [10.12, 5, -3.46], target: [0, 1, 0] },
    });
  });
});

describe('document helpers', () => {
  it('freeId counts up from 1', () => {
    expect(freeId('view', [])).toBe('view-1');
    expect(freeId('view', ['view-1', 'view-3'])).toBe('view-2');
  });

  it('listOf makes a missing or wrong list an array, idsOf and assetIndex read ids', () => {
    const doc: Record<string, unknown> = { assets: 'oops', views: [{ id: 'a' }, 3, { id: 'b' }] };
    expect(listOf(doc, 'assets')).toEqual([]);
    expect(doc.assets).toEqual([]);
    expect(idsOf(doc, 'views')).toEqual(['a', 'b']);
    expect(assetIndex({ assets: [{ id: 'x' }, { id: 'y' }] }, 'y')).toBe(1);
    expect(assetIndex({}, 'y')).toBe(-1);
  });
});

function twin(extra: Record<string, unknown> = {}): Twin {
  const result = validateTwin({
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['#'] },
    assets: [{ id: 'pump', model: 'pump.glb' }],
    signals: [{ id: 'temp', topic: 'plant/temp', path: 'temp' }],
    views: [{ id: 'v', camera: { position: [1, 2, 3], target: [0, 0, 0] } }],
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.twin;
}

describe('engineKey (when the preview restarts its engine session)', () => {
  it('stays the same when an asset moves or a view or binding is added', () => {
    const before = engineKey(twin());
    expect(engineKey(twin({ assets: [{ id: 'pump', model: 'pump.glb', position: [3, 0, 0] }] }))).toBe(before);
    expect(engineKey(twin({ views: [] }))).toBe(before);
    expect(engineKey(twin({ bindings: [{ signal: 'temp', node: 'pump/Motor', effect: { kind: 'visible' } }] }))).toBe(
      before,
    );
  });

  it('changes with the broker, the signals, the rules and the commands', () => {
    const before = engineKey(twin());
    expect(engineKey(twin({ connection: { url: 'ws://127.0.0.1:9002', subscribe: ['#'] } }))).not.toBe(before);
    expect(engineKey(twin({ signals: [{ id: 'temp', topic: 'plant/other' }] }))).not.toBe(before);
    expect(engineKey(twin({ rules: [{ id: 'hot', when: 'temp > 1', message: 'Hot' }] }))).not.toBe(before);
    expect(engineKey(twin({ commands: [{ id: 'stop', label: 'Stop', topic: 'plant/stop', payload: 1 }] }))).not.toBe(
      before,
    );
  });
});

describe('shareUnchanged', () => {
  it('keeps the parts that did not change as the same objects, in a new twin', () => {
    const a = twin();
    const b = shareUnchanged(a, twin({ assets: [{ id: 'pump', model: 'pump.glb', position: [3, 0, 0] }] }));
    expect(b).not.toBe(a);
    expect(b.views).toBe(a.views);
    expect(b.signals).toBe(a.signals);
    expect(b.assets).not.toBe(a.assets);
    expect(b.assets[0].position).toEqual([3, 0, 0]);
  });
});
