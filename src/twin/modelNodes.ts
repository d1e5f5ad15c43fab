/**
 * A model's node tree as the scene will see it, read from the glTF JSON alone (no three.js, no
 * geometry decoded), and the check of a twin's node paths against it: what `npm run twin -- validate`
 * does with the model files. Pure: the CLI reads the files (server/cli/model-files.ts).
 */
import type { Twin } from './schema';
import { jsonPath, type TwinProblem } from './validate';
import {
  bestMatches,
  LoaderNames,
  nodePathSegment,
  parseNodePath,
  pathReaches,
  type NodeNaming,
} from '../scene/nodeNames';

export interface ModelNode {
  /** Index in the glTF `nodes` array. */
  index: number;
  /** The name the file writes ("" when none). */
  written: string;
  /** The name three.js's GLTFLoader gives it ("Valve001", "Bolt_1"; "" when unnamed). */
  loaded: string;
  parent: ModelNode | null;
  children: ModelNode[];
}

export interface ModelTree {
  /** The default scene's nodes depth first, in the file's order (the order three.js traverses them). */
  nodes: ModelNode[];
}

export type ModelTreeResult = { ok: true; tree: ModelTree } | { ok: false; error: string };

const naming: NodeNaming<ModelNode> = {
  written: (n) => n.written,
  loaded: (n) => n.loaded,
  parent: (n) => n.parent,
};

interface NodeDef {
  name?: unknown;
  children?: unknown;
  camera?: unknown;
  skin?: unknown;
  extensions?: { KHR_lights_punctual?: { light?: unknown } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The default scene's node tree of a parsed glTF JSON document, with the names three.js will give
 * each node: GLTFLoader reserves names in one synchronous pass (each scene's name, then its nodes
 * depth first, a node's camera and light right after the node, a skin's joints after the skinned
 * node's children), so the same pass here gives the same "_1" suffixes. A file whose node graph is
 * not a tree (an index out of range, a node its own ancestor) is an error, as it is for the loader.
 */
export function modelTree(json: unknown): ModelTreeResult {
  if (!isObject(json)) return { ok: false, error: 'the glTF JSON is not an object' };
  const nodes = list(json.nodes);
  const scenes = list(json.scenes);
  const cameras = list(json.cameras);
  const skins = list(json.skins);
  const lightsExt = isObject(json.extensions) ? json.extensions.KHR_lights_punctual : undefined;
  const lights = isObject(lightsExt) ? list(lightsExt.lights) : [];
  const nodeDef = (i: unknown, where: string): NodeDef => {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= nodes.length || !isObject(nodes[i]))
      throw new Error(`${where} names node ${JSON.stringify(i)}, which the file does not have`);
    return nodes[i] as NodeDef;
  };

  const names = new LoaderNames();
  const shallow = new Map<number, string>();
  const loadedNodes = new Set<number>();
  const seen = { cameras: new Set<unknown>(), lights: new Set<unknown>(), skins: new Set<unknown>() };
  const reserveShallow = (i: number, def: NodeDef) => {
    if (shallow.has(i)) return;
    shallow.set(i, text(def.name) ? names.unique(text(def.name)) : '');
    if (def.camera !== undefined && !seen.cameras.has(def.camera)) {
      seen.cameras.add(def.camera);
      const camera = cameras[def.camera as number];
      if (isObject(camera) && text(camera.name)) names.unique(text(camera.name));
    }
    const light = def.extensions?.KHR_lights_punctual?.light;
    if (light !== undefined && !seen.lights.has(light)) {
      seen.lights.add(light);
      const lightDef = lights[light as number];
      names.unique((isObject(lightDef) && text(lightDef.name)) || `light_${String(light)}`);
    }
  };
  const loadNode = (i: number, path: number[]) => {
    if (path.includes(i)) throw new Error(`node ${i} is its own ancestor`);
    if (loadedNodes.has(i)) return;
    loadedNodes.add(i);
    const def = nodeDef(i, 'a scene');
    reserveShallow(i, def);
    for (const c of list(def.children)) {
      nodeDef(c, `node ${i}`);
      loadNode(c as number, [...path, i]);
    }
    if (def.skin !== undefined && !seen.skins.has(def.skin)) {
      seen.skins.add(def.skin);
      const skin = skins[def.skin as number];
      for (const j of isObject(skin) ? list(skin.joints) : []) reserveShallow(j as number, nodeDef(j, 'a skin'));
    }
  };

  try {
    for (const scene of scenes) {
      if (!isObject(scene)) continue;
      if (text(scene.name)) names.unique(text(scene.name));
      for (const n of list(scene.nodes)) {
        nodeDef(n, 'a scene');
        loadNode(n as number, []);
      }
    }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }

  const sceneIndex = typeof json.scene === 'number' ? json.scene : 0;
  const scene = scenes[sceneIndex];
  if (scenes.length === 0) return { ok: true, tree: { nodes: [] } };
  if (!isObject(scene)) return { ok: false, error: `the default scene ${sceneIndex} is not in the file` };
  const out: ModelNode[] = [];
  const build = (i: number, parent: ModelNode | null): ModelNode => {
    const def = nodes[i] as NodeDef;
    const node: ModelNode = { index: i, written: text(def.name), loaded: shallow.get(i) ?? '', parent, children: [] };
    out.push(node);
    for (const c of list(def.children)) node.children.push(build(c as number, node));
    return node;
  };
  for (const n of list(scene.nodes)) build(n as number, null);
  return { ok: true, tree: { nodes: out } };
}

/**
 * The nodes a path's names reach best (nodeNames.bestMatches), in the file's order: one for a path
 * that names a node, several for an ambiguous one (the scene takes the first).
 */
export function nodesReached(tree: ModelTree, names: readonly string[]): ModelNode[] {
  return bestMatches(
    tree.nodes.filter((n) => pathReaches(n, names, null, naming)),
    names,
    null,
    naming,
  );
}

/**
 * The shortest path below the asset that reaches `node` and no other: its written name, with as
 * many ancestors' names before it as it takes ("Flange_B/Bolt"), the same rule as the scene's
 * selection paths; three.js's name when nothing else tells it apart.
 */
export function shortestPath(tree: ModelTree, node: ModelNode): string {
  const own = node.written || node.loaded;
  const segments = [own];
  for (let p = node.parent; ; p = p.parent) {
    const reached = nodesReached(tree, segments);
    if (reached.length === 1 && reached[0] === node) return segments.map(nodePathSegment).join('/');
    if (p === null) return nodePathSegment(node.loaded || own);
    if (p.written || p.loaded) segments.unshift(p.written || p.loaded);
  }
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = up;
    }
  }
  return row[b.length];
}

const folded = (s: string) => s.toLowerCase().replace(/[\s._-]+/g, '');

/**
 * `names` ordered closest to `wanted` first: the same letters ignoring case and separators, then
 * names containing it (or contained in it), then by edit distance; ties in the file's order.
 */
export function closestNames(wanted: string, names: readonly string[]): string[] {
  const w = folded(wanted);
  const score = (name: string) => {
    const f = folded(name);
    if (f === w) return -2;
    if (w !== '' && (f.includes(w) || w.includes(f))) return -1 + distance(f, w) / 1000;
    return distance(f, w);
  };
  return names
    .map((name, i) => ({ name, i, s: score(name) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.name);
}

/** "a, b, c (and 9 more)"; `total` when only the first few names were worked out. */
function some(names: readonly string[], max = 8, total = names.length): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n));
  return total > max ? `${shown.join(', ')} (and ${total - max} more)` : shown.join(', ');
}

/** A model file as the CLI read it: its node tree, or why it could not be read. */
export type ModelFile = { ok: true; tree: ModelTree } | { ok: false; error: string };

/**
 * Node paths of a (valid) twin that its model files do not have: binding nodes (labels included),
 * rule assets and command nodes, and instanced assets' colour nodes; for an instanced asset, a path
 * names an instance by its key. Each problem names what the model does have, closest first.
 * `models` maps an asset's `model` path to the file read; an unreadable file is one problem at the
 * asset's `model`, and paths into it are not checked.
 */
export function nodeReferenceProblems(twin: Twin, models: ReadonlyMap<string, ModelFile>): TwinProblem[] {
  const problems: TwinProblem[] = [];
  const assets = new Map(twin.assets.map((a) => [a.id, a]));
  twin.assets.forEach((asset, i) => {
    const model = models.get(asset.model);
    if (model && !model.ok) {
      problems.push({ path: jsonPath(['assets', i, 'model']), message: `cannot read ${asset.model}: ${model.error}` });
    }
    const colorNode = asset.instances?.colorNode;
    if (colorNode !== undefined && model?.ok && nodesReached(model.tree, [colorNode]).length === 0) {
      problems.push({
        path: jsonPath(['assets', i, 'instances', 'colorNode']),
        message: `no node "${colorNode}" in ${asset.model}; it has: ${some(closestNames(colorNode, writtenNames(model.tree)))}`,
      });
    }
  });

  const check = (path: string, at: PropertyKey[]) => {
    const parsed = parseNodePath(path);
    if (!parsed.ok || parsed.names.length === 0) return; // the document check reports it; or a whole asset
    const asset = assets.get(parsed.asset);
    if (!asset) return; // the document check reports it
    if (asset.instances) {
      const message = instanceProblem(asset.id, asset.instances, parsed.names);
      if (message) problems.push({ path: jsonPath(at), message });
      return;
    }
    const model = models.get(asset.model);
    if (!model?.ok) return;
    const message = pathProblem(model.tree, asset.model, parsed.asset, parsed.names);
    if (message) problems.push({ path: jsonPath(at), message });
  };
  twin.bindings.forEach((b, i) => check(b.node, ['bindings', i, 'node']));
  twin.rules.forEach((r, i) => {
    if (r.asset !== undefined) check(r.asset, ['rules', i, 'asset']);
  });
  twin.commands.forEach((c, i) => {
    if (c.node !== undefined) check(c.node, ['commands', i, 'node']);
  });
  return problems;
}

function writtenNames(tree: ModelTree): string[] {
  return [...new Set(tree.nodes.map((n) => n.written).filter((n) => n !== ''))];
}

/** What is wrong with a path into a model, or null when it reaches exactly one node. */
function pathProblem(tree: ModelTree, file: string, asset: string, names: string[]): string | null {
  const reached = nodesReached(tree, names);
  const last = names[names.length - 1];
  if (reached.length === 1) return null;
  if (reached.length > 1) {
    // Only the paths shown are worked out: a CAD model may have a thousand bolts.
    const paths = reached.slice(0, 4).map((n) => shortestPath(tree, n));
    return (
      `"${names.map(nodePathSegment).join('/')}" names ${reached.length} nodes in ${file} (${some(paths, 4, reached.length)}); ` +
      `the scene would take the first: name an ancestor that tells them apart, e.g. "${asset}/${paths[1]}"`
    );
  }
  if (names.length > 1) {
    const elsewhere = tree.nodes.filter((n) => pathReaches(n, [last], null, naming));
    if (elsewhere.length > 0) {
      const above = names.slice(0, -1).map(nodePathSegment).join('/');
      const at = elsewhere.slice(0, 4).map((n) => `${asset}/${shortestPath(tree, n)}`);
      return `no "${last}" below "${above}" in ${file}; "${last}" is at ${some(at, 4, elsewhere.length)}`;
    }
  }
  const all = writtenNames(tree);
  if (all.length === 0) return `no node "${last}" in ${file}: its scene has no named nodes`;
  return `no node "${last}" in ${file}; it has: ${some(closestNames(last, all))}`;
}

type Instances = NonNullable<Twin['assets'][number]['instances']>;
const gridKeys = new WeakMap<Instances, Set<string>>();

/**
 * An instanced asset's paths name instances by key ("field/r4c73"): is the key one of its grid's?
 * (Keys are made as instanceRuntime.instanceKey makes them; that module brings three.js along.)
 */
function instanceProblem(asset: string, grid: Instances, names: string[]): string | null {
  const key = names.join('/');
  let keys = gridKeys.get(grid);
  if (!keys) {
    // Once per grid: a twin may have a rule for each of 10,000 panels.
    keys = new Set<string>();
    for (let row = 0; row < grid.rows; row++) {
      for (let column = 0; column < grid.columns; column++) {
        keys.add(grid.key.replaceAll('{row}', String(row)).replaceAll('{column}', String(column)));
      }
    }
    gridKeys.set(grid, keys);
  }
  if (keys.has(key)) return null;
  return (
    `"${key}" is not an instance of "${asset}" (keys "${grid.key}" with row 0..${grid.rows - 1}, ` +
    `column 0..${grid.columns - 1})`
  );
}
