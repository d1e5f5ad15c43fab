import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeIO, type Document, type Material, type Node } from '@gltf-transform/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { misfacingTriangles, type MeshData } from './geometry';
import { modelStats, writeGlb } from './gltf';
import { PUMP_STATION_MODELS } from './pump-station';

/** The parts of twin.json these tests read. */
interface TwinFile {
  assets: { id: string; model: string }[];
  bindings: { node: string; effect: { kind: string; axis?: 'x' | 'y' | 'z' } }[];
  rules?: { id: string; asset?: string }[];
}

const twinDir = join(dirname(fileURLToPath(import.meta.url)), 'pump-station');
const io = new NodeIO();
let twin: TwinFile;
/** Committed models by asset id. */
const models = new Map<string, Document>();

beforeAll(async () => {
  twin = JSON.parse(await readFile(join(twinDir, 'twin.json'), 'utf8')) as TwinFile;
  for (const asset of twin.assets) models.set(asset.id, await io.read(join(twinDir, asset.model)));
});

/** "<asset>/<ancestor>/.../<node>", split and resolved the way the app resolves it. */
function resolve(path: string): { asset: string; node: Node | undefined } {
  const [asset, ...segments] = path.split('/');
  const document = models.get(asset);
  const name = segments[segments.length - 1];
  const node = document
    ?.getRoot()
    .listNodes()
    .find((n) => n.getName() === name && hasAncestors(n, segments.slice(0, -1)));
  return { asset, node };
}

function hasAncestors(node: Node, names: string[]): boolean {
  let i = names.length - 1;
  for (let p = node.getParentNode(); p && i >= 0; p = p.getParentNode()) if (p.getName() === names[i]) i--;
  return i < 0;
}

function subtree(node: Node): Node[] {
  return [node, ...node.listChildren().flatMap(subtree)];
}

function materialsOf(node: Node): Material[] {
  return (node.getMesh()?.listPrimitives() ?? []).flatMap((p) => p.getMaterial() ?? []);
}

/** A node's own mesh, in its own frame, as plain arrays. */
function meshData(node: Node): MeshData {
  const out: MeshData = { positions: [], normals: [], indices: [] };
  for (const primitive of node.getMesh()?.listPrimitives() ?? []) {
    const offset = out.positions.length / 3;
    out.positions.push(...(primitive.getAttribute('POSITION')?.getArray() ?? []));
    out.normals.push(...(primitive.getAttribute('NORMAL')?.getArray() ?? []));
    for (const i of primitive.getIndices()?.getArray() ?? []) out.indices.push(i + offset);
  }
  return out;
}

function referencedNodes(): string[] {
  const fromRules = (twin.rules ?? []).flatMap((r) => (r.asset?.includes('/') ? [r.asset] : []));
  return [...new Set([...twin.bindings.map((b) => b.node), ...fromRules])];
}

describe('pump-station models', () => {
  it('has every node that twin.json binds or raises alarms on, in that asset’s model', () => {
    const missing = referencedNodes().filter((path) => resolve(path).node === undefined);
    expect(missing).toEqual([]);
  });

  it('names nodes uniquely with letters, digits and underscores, so three.js keeps the names', () => {
    for (const [asset, document] of models) {
      const root = document.getRoot();
      const nodeNames = root.listNodes().map((n) => n.getName());
      expect(new Set(nodeNames).size, `${asset}: duplicate node names`).toBe(nodeNames.length);
      expect(
        nodeNames.filter((n) => !/^[A-Za-z0-9_]+$/.test(n)),
        asset,
      ).toEqual([]);
      // GLTFLoader draws node, mesh and scene names from one pool: a clash renames a node.
      const others = [...root.listMeshes(), ...root.listScenes()].map((p) => p.getName());
      expect(
        others.filter((n) => nodeNames.includes(n)),
        asset,
      ).toEqual([]);
    }
  });

  it('gives every bound node materials that no node outside it uses, so recolouring never leaks', () => {
    for (const path of twin.bindings.map((b) => b.node)) {
      const { asset, node } = resolve(path);
      expect(node, path).toBeDefined();
      if (!node) continue;
      const inside = new Set(subtree(node));
      const own = new Set(subtree(node).flatMap(materialsOf));
      expect(own.size, `${path} has no material`).toBeGreaterThan(0);
      const sharers = models
        .get(asset)!
        .getRoot()
        .listNodes()
        .filter((n) => !inside.has(n) && materialsOf(n).some((m) => own.has(m)))
        .map((n) => n.getName());
      expect(sharers, `${path} shares a material`).toEqual([]);
    }
  });

  it('draws fewer than 60,000 triangles for the whole twin (browser tests use software WebGL)', () => {
    const total = [...models.values()].reduce((sum, d) => sum + modelStats(d).triangles, 0);
    expect(total).toBeLessThan(60_000);
  });

  it('spins parts in place: the spinning mesh is centred on the node’s own spin axis', () => {
    const spins = twin.bindings.filter((b) => b.effect.kind === 'spin');
    expect(spins.length).toBeGreaterThan(0);
    for (const binding of spins) {
      const { node } = resolve(binding.node);
      const axis = 'xyz'.indexOf(binding.effect.axis ?? 'y');
      const { positions } = meshData(node!);
      const centroid = [0, 0, 0];
      for (let i = 0; i < positions.length; i++) centroid[i % 3] += positions[i] / (positions.length / 3);
      const offAxis = centroid.filter((_, k) => k !== axis).map(Math.abs);
      expect(Math.max(...offAxis), binding.node).toBeLessThan(0.01);
      // The app adds to the Euler angle of that axis: with no rest rotation, local axis = intended axis.
      expect(node!.getRotation(), binding.node).toEqual([0, 0, 0, 1]);
    }
  });

  it('makes spinning parts visibly uneven around their axis (blades, not a plain disc)', () => {
    for (const binding of twin.bindings.filter((b) => b.effect.kind === 'spin')) {
      const axis = 'xyz'.indexOf(binding.effect.axis ?? 'y');
      const [u, v] = [0, 1, 2].filter((k) => k !== axis);
      const { positions } = meshData(resolve(binding.node).node!);
      // Outline radius in 10-degree sectors: blade tips stand far out of the hub between them.
      const reach = new Array<number>(36).fill(0);
      for (let i = 0; i < positions.length; i += 3) {
        const a = Math.atan2(positions[i + v], positions[i + u]);
        const sector = Math.min(35, Math.floor(((a + Math.PI) / (2 * Math.PI)) * 36));
        reach[sector] = Math.max(reach[sector], Math.hypot(positions[i + u], positions[i + v]));
      }
      expect(Math.min(...reach), binding.node).toBeLessThan(0.6 * Math.max(...reach));
    }
  });

  it('fills scaled parts from their node origin (a tank level grows from the bottom)', () => {
    const scales = twin.bindings.filter((b) => b.effect.kind === 'scale');
    expect(scales.length).toBeGreaterThan(0);
    for (const binding of scales) {
      const axis = 'xyz'.indexOf(binding.effect.axis ?? 'y');
      const { positions } = meshData(resolve(binding.node).node!);
      const along = positions.filter((_, i) => i % 3 === axis);
      expect(Math.min(...along), binding.node).toBeCloseTo(0, 6);
      expect(Math.max(...along), binding.node).toBeGreaterThan(0);
    }
  });

  it('winds every triangle the way its normals point, so none is culled or lit from behind', () => {
    for (const [asset, document] of models) {
      for (const node of document.getRoot().listNodes()) {
        expect(misfacingTriangles(meshData(node)), `${asset}/${node.getName()}`).toEqual([]);
      }
    }
  });

  it('matches what `npm run models` builds now (rerun it after changing the model code)', async () => {
    for (const { file, build } of PUMP_STATION_MODELS) {
      const committed = new Uint8Array(await readFile(join(twinDir, file)));
      const built = await writeGlb(build());
      expect(Buffer.from(built).equals(Buffer.from(committed)), `${file} is stale`).toBe(true);
    }
  });
});
