import { afterEach, describe, expect, it } from 'vitest';
import { BoxGeometry, Color, Group, Mesh, MeshStandardMaterial } from 'three';
import { twinSchema } from '../twin/schema';
import { TelemetryStore } from '../store/telemetry';
import { colorScale, over, resolvedTables, scaleRgba, type Rgba } from './colorScale';
import { BindingRuntime } from './bindingRuntime';
import { InstanceBindings, type InstancesDef } from './instanceRuntime';
import { overlaidRgb, overlayOf } from './overlay';
import { registerAsset } from './sceneRegistry';

const rgba = (): Rgba => ({ r: NaN, g: NaN, b: NaN, a: NaN });
const linear = (hex: string) => new Color(hex);

describe('colorScale', () => {
  const thresholds = colorScale({
    kind: 'colorThresholds',
    below: 'normal',
    stops: [
      [80, 'warning'],
      [95, 'alarm'],
    ],
  });
  it('thresholds: the model’s look below the first stop, switching exactly at a stop, the highest reached', () => {
    const c = rgba();
    scaleRgba(thresholds, 79.9, c);
    expect(c.a).toBe(0);
    scaleRgba(thresholds, 80, c);
    expect([c.r, c.g, c.b, c.a]).toEqual([...linear('#e6a100').toArray(), 1]);
    scaleRgba(thresholds, 120, c);
    expect([c.r, c.g, c.b, c.a]).toEqual([...linear('#d62828').toArray(), 1]);
  });

  it('a ramp clamps at its ends and blends between the stops around a value', () => {
    const s = colorScale({
      kind: 'colorRamp',
      stops: [
        [0, '#000000'],
        [50, '#ff0000'],
        [100, '#ffffff'],
      ],
    });
    const c = rgba();
    scaleRgba(s, -5, c);
    expect([c.r, c.g, c.b, c.a]).toEqual([0, 0, 0, 1]);
    scaleRgba(s, 500, c);
    expect([c.r, c.g, c.b, c.a]).toEqual([1, 1, 1, 1]);
    scaleRgba(s, 75, c);
    expect([c.r, c.g, c.b, c.a]).toEqual([1, 0.5, 0.5, 1]);
  });

  it('a ramp fades from a colour into the model’s own look at a "normal" stop', () => {
    const s = colorScale({
      kind: 'colorRamp',
      stops: [
        [0, 'normal'],
        [100, '#ff0000'],
      ],
    });
    const c = rgba();
    scaleRgba(s, 25, c);
    expect(c.a).toBeCloseTo(0.25);
    const out = { r: 0, g: 0, b: 0 };
    over(c, { r: 0.5, g: 0.5, b: 0.5 }, out);
    expect(out.r).toBeCloseTo(0.75 * 0.5 + 0.25);
    expect(out.g).toBeCloseTo(0.75 * 0.5);
  });

  it('says so for no value yet, and the caller keeps its colour', () => {
    expect(scaleRgba(thresholds, NaN, rgba())).toBe(false);
  });

  it('flat tables blended linearly give the same colour as the scale drawn over the model colour', () => {
    const s = colorScale({
      kind: 'colorRamp',
      stops: [
        [0, '#2040ff'],
        [10, 'normal'],
        [20, 'alarm'],
      ],
    });
    const base = { r: 0.3, g: 0.4, b: 0.5 };
    const { stopRgb } = resolvedTables(s, base);
    const c = rgba();
    const want = { r: 0, g: 0, b: 0 };
    for (const v of [3, 12.5, 17]) {
      scaleRgba(s, v, c);
      over(c, base, want);
      const j = v < 10 ? 0 : 1;
      const t = (v - j * 10) / 10;
      const got = [0, 1, 2].map((i) => stopRgb[j * 3 + i] + (stopRgb[j * 3 + 3 + i] - stopRgb[j * 3 + i]) * t);
      expect(got[0]).toBeCloseTo(want.r, 12);
      expect(got[1]).toBeCloseTo(want.g, 12);
      expect(got[2]).toBeCloseTo(want.b, 12);
    }
  });
});

describe('one colour for the same value, on a part and on an instance', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => cleanup?.());

  const effects = [
    {
      kind: 'colorRamp',
      stops: [
        [0, '#0000ff'],
        [40, 'normal'],
        [60, 'normal'],
        [100, 'alarm'],
      ],
    },
    {
      kind: 'colorThresholds',
      below: 'info',
      stops: [
        [20, 'normal'],
        [80, 'warning'],
        [95, '#ff00ff'],
      ],
    },
  ] as const;

  for (const effect of effects) {
    it(`${effect.kind}, "normal" stops included`, () => {
      const twin = twinSchema.parse({
        id: 't',
        title: 'T',
        connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
        assets: [
          { id: 'plant', model: 'plant.glb' },
          {
            id: 'field',
            model: 'panel.glb',
            instances: { rows: 1, columns: 1, spacing: [1, 1], bindings: [{ signal: 'v', effect }] },
          },
        ],
        signals: [{ id: 'v', topic: 'v' }],
        bindings: [{ signal: 'v', node: 'plant/Part', effect }],
      });
      const base = new Color('#8a9199');
      const root = new Group();
      const mesh = new Mesh(new BoxGeometry(), new MeshStandardMaterial({ color: base }));
      mesh.name = 'Part';
      root.add(mesh);
      cleanup = registerAsset('plant', root);
      const store = new TelemetryStore(4);
      store.online = true;
      store.addSignals([{ index: 0, id: 'v', def: 0, label: 'v', unit: '' }]);
      const node = new BindingRuntime(twin, store);
      const instances = new InstanceBindings(twin.assets[1].instances as InstancesDef, store, base);
      const drawn = new Color();
      for (let v = -10; v <= 110; v += 2.5) {
        store.applyBatch({ type: 'batch', samples: new Float64Array([0, v, Date.now()]), count: 1 });
        node.apply(0.016, Date.now());
        instances.apply(Date.now());
        const material = mesh.material as MeshStandardMaterial;
        overlaidRgb(overlayOf(material)!, material.color, drawn);
        const [r, g, b] = instances.colors;
        expect(
          [drawn.r, drawn.g, drawn.b].map((x) => x.toFixed(5)),
          `value ${v}`,
        ).toEqual([r, g, b].map((x) => x.toFixed(5)));
      }
    });
  }
});
