/**
 * Applies the twin's bindings to scene nodes, once per frame, reading the telemetry store directly.
 * No React, and no allocation in `apply`: targets are resolved once and colours are precomputed.
 */
import { Color, Mesh, type Material, type Object3D } from 'three';
import type { Binding, Twin } from '../twin/schema';
import type { TelemetryStore } from '../store/telemetry';
import { findNode, registryGeneration } from './sceneRegistry';
import { resolveColor } from './palette';
import { rampPosition, scaleFraction, spinRadians, thresholdIndex } from './effects';

type ColorMaterial = Material & { color: Color; emissive?: Color };

interface ColorTarget {
  materials: ColorMaterial[];
  base: Color[];
}

interface Runtime {
  binding: Binding;
  node: Object3D | null;
  colors: ColorTarget | null;
  /** Precomputed stop colours (null = model colour). */
  stopColors: (Color | null)[];
  belowColor: Color | null;
  signalIndex: number;
  /** Last applied colour key, to skip work when nothing changed. */
  lastKey: number;
}

export interface BindingProblem {
  node: string;
  message: string;
}

const scratch = new Color();

export class BindingRuntime {
  private runtimes: Runtime[];
  private resolvedAt = -1;
  problems: BindingProblem[] = [];

  constructor(
    twin: Twin,
    private readonly store: TelemetryStore,
  ) {
    this.runtimes = twin.bindings.map((binding) => {
      const e = binding.effect;
      const stops = e.kind === 'colorThresholds' || e.kind === 'colorRamp' ? e.stops : [];
      return {
        binding,
        node: null,
        colors: null,
        stopColors: stops.map(([, c]) => toColor(resolveColor(c))),
        belowColor: e.kind === 'colorThresholds' ? toColor(resolveColor(e.below)) : null,
        signalIndex: -1,
        lastKey: NaN,
      };
    });
  }

  /** Resolves nodes when assets appear; returns problems for bindings whose node is missing. */
  private resolve(): void {
    const problems: BindingProblem[] = [];
    for (const r of this.runtimes) {
      const found = findNode(r.binding.node);
      if (found.ok) {
        r.node = found.node;
        if (!r.colors && (r.binding.effect.kind === 'colorThresholds' || r.binding.effect.kind === 'colorRamp')) {
          r.colors = ownMaterials(found.node);
        }
      } else {
        r.node = null;
        if (found.reason === 'no-node') {
          problems.push({
            node: r.binding.node,
            message: `no node "${r.binding.node.split('/').slice(1).join('/')}" in the model (it has: ${found.names.slice(0, 30).join(', ')})`,
          });
        }
      }
    }
    this.problems = problems;
  }

  /** Applies every binding; `dt` in seconds. Returns true when anything visible may have changed. */
  apply(dt: number): void {
    const gen = registryGeneration();
    if (gen !== this.resolvedAt) {
      this.resolvedAt = gen;
      this.resolve();
    }
    const latest = this.store.latest;
    for (let i = 0; i < this.runtimes.length; i++) {
      const r = this.runtimes[i];
      const node = r.node;
      if (node === null) continue;
      if (r.signalIndex < 0) {
        r.signalIndex = this.store.indexOf(r.binding.signal);
        if (r.signalIndex < 0) continue;
      }
      const value = latest[r.signalIndex];
      if (Number.isNaN(value)) continue;
      const e = r.binding.effect;
      switch (e.kind) {
        case 'spin':
          node.rotation[e.axis] += spinRadians(value, e.rpmPerUnit, e.maxRpm, dt);
          break;
        case 'scale':
          node.scale[e.axis] = scaleFraction(e.range, value);
          break;
        case 'visible':
          node.visible = e.when === 'truthy' ? value !== 0 : value === 0;
          break;
        case 'colorThresholds': {
          const k = thresholdIndex(e.stops, value);
          if (k !== r.lastKey && r.colors) {
            r.lastKey = k;
            paint(r.colors, k < 0 ? r.belowColor : r.stopColors[k]);
          }
          break;
        }
        case 'colorRamp': {
          if (value !== r.lastKey && r.colors) {
            r.lastKey = value;
            const p = rampPosition(e.stops, value);
            const a = r.stopColors[p.from];
            const b = r.stopColors[p.to];
            if (a && b) paint(r.colors, scratch.copy(a).lerp(b, p.t));
            else paint(r.colors, p.t < 0.5 ? a : b);
          }
          break;
        }
        default: {
          const never: never = e;
          throw new Error(`unknown effect ${(never as { kind: string }).kind}`);
        }
      }
    }
  }
}

function toColor(hex: string | null): Color | null {
  return hex === null ? null : new Color(hex);
}

function paint(target: ColorTarget, color: Color | null): void {
  for (let m = 0; m < target.materials.length; m++) {
    target.materials[m].color.copy(color ?? target.base[m]);
  }
}

/** Gives every mesh under a node its own material copy, so recolouring never leaks to other parts. */
function ownMaterials(node: Object3D): ColorTarget {
  const target: ColorTarget = { materials: [], base: [] };
  node.traverse((o) => {
    if (!(o instanceof Mesh)) return;
    const list = Array.isArray(o.material) ? o.material : [o.material];
    const owned = list.map((m: Material) => {
      const copy = m.clone() as ColorMaterial;
      if (copy.color instanceof Color) {
        target.materials.push(copy);
        target.base.push(copy.color.clone());
      }
      return copy;
    });
    o.material = Array.isArray(o.material) ? owned : owned[0];
  });
  return target;
}
