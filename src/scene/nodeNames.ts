/**
 * Node names as exporters write them, and which of them are names a person gave. Pure: no three.js
 * objects, so the rule can be read and tested on its own.
 */

/**
 * Words modelling tools and exporters use for names nobody chose ("Object_12", "mesh_0", "Cube.001",
 * "Empty", "RootNode", "Sketchfab_model", "Body1"), each optionally followed by numbers and separators.
 */
const DEFAULT_WORDS = [
  'object',
  'mesh',
  'node',
  'group',
  'empty',
  'null',
  'transform',
  'geometry',
  'primitive',
  'model',
  'scene',
  'auxscene',
  'root',
  'rootnode',
  'gltf_scenerootnode',
  'sketchfab_model',
  'sketchfab_scene',
  'defaultobject',
  'default',
  'polysurface',
  'cube',
  'box',
  'sphere',
  'uvsphere',
  'icosphere',
  'cylinder',
  'cone',
  'torus',
  'plane',
  'circle',
  'pcube',
  'psphere',
  'pcylinder',
  'pplane',
  'body',
  'solid',
  'camera',
  'light',
  'lamp',
];

const DEFAULT_NAME = new RegExp(`^(?:${DEFAULT_WORDS.join('|')})(?:[ ._-]*\\d+)*$`, 'i');
/** Only digits and separators ("12", "0.3"), or a UUID as some CAD exports write. */
const NUMBERS = /^[\d ._-]*$/;
const UUID = /^[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}$/i;

/**
 * True for a name nobody chose: empty, only numbers, a UUID, or an exporter's default word with
 * numbers ("Object_12", "mesh_0", "Cube.001", "Group 3"). "Pump1", "Valve.001" or "Bolt" are names
 * of their own.
 */
export function isGeneratedName(name: string): boolean {
  const n = name.trim();
  return NUMBERS.test(n) || UUID.test(n) || DEFAULT_NAME.test(n);
}

/**
 * Node paths: `<asset id>/<name>` or `<asset id>/<ancestor>/.../<name>`. The last name is the node's,
 * as the glTF file writes it ("Motor.001", "Pump 1") or as three.js renames it on load ("Motor001",
 * "Pump_1", a second "Bolt" as "Bolt_1"); names before it are ancestors, in order, not necessarily
 * direct parents. A "/" inside a name is written "\/" and a backslash "\\" (any other backslash is
 * itself). Shared by the scene (findNode) and the CLI's check against model files, so both read a
 * path the same way.
 */
export type ParsedNodePath = { ok: true; asset: string; names: string[] } | { ok: false; error: string };

export function parseNodePath(path: string): ParsedNodePath {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    const next = path[i + 1];
    if (c === '\\' && (next === '/' || next === '\\')) {
      current += next;
      i++;
    } else if (c === '/') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  const [asset, ...names] = parts;
  // An asset alone ("station", no names) is the whole asset, as a rule's `asset` may say.
  if (asset === '') return { ok: false, error: 'expected "<asset id>/<node name>"' };
  if (names.includes('')) return { ok: false, error: 'empty node name (two "/" in a row, or a "/" at the end)' };
  return { ok: true, asset, names };
}

/** A name as one segment of a node path: "/" and "\" escaped ("Part 1/2" → "Part 1\/2"). */
export function nodePathSegment(name: string): string {
  return name.replace(/[\\/]/g, (c) => `\\${c}`);
}

/** How to read a tree's nodes, so the same matching serves three.js objects and a glTF file's node list. */
export interface NodeNaming<N> {
  /** The name as the glTF file writes it ("" when it has none). */
  written(node: N): string;
  /** The name three.js gives it on load ("Valve001", "Bolt_1"; "" when none). */
  loaded(node: N): string;
  parent(node: N): N | null;
}

/** Whether `name` names the node: as written, or as three.js renamed it. */
export function nameMatches(written: string, loaded: string, name: string): boolean {
  return name !== '' && (written === name || loaded === name);
}

/**
 * Whether `node` (below `root`) is what the names of a path reach: its own name is the last, and
 * the earlier ones are its ancestors in that order (not necessarily direct parents).
 */
export function pathReaches<N>(node: N, names: readonly string[], root: N, naming: NodeNaming<N>): boolean {
  const last = names.length - 1;
  if (last < 0 || !nameMatches(naming.written(node), naming.loaded(node), names[last])) return false;
  let i = last - 1;
  for (let p = naming.parent(node); p !== null && p !== root && i >= 0; p = naming.parent(p)) {
    if (nameMatches(naming.written(p), naming.loaded(p), names[i])) i--;
  }
  return i < 0;
}

/**
 * Of the nodes a path reaches (in the file's order), the ones it spells out most completely: the
 * fewest levels between the asset and the node that the path leaves unnamed. So "plant/Frame_A/Bolt"
 * is Frame_A's own Bolt, not a Bolt deeper inside Frame_A, and "plant/Motor.001" is a top-level
 * Motor.001 rather than one inside "Pump 1". More than one left: the path is ambiguous (the scene
 * takes the first, the CLI reports it).
 */
export function bestMatches<N>(
  reached: readonly N[],
  names: readonly string[],
  root: N | null,
  naming: NodeNaming<N>,
): N[] {
  let best = Infinity;
  let out: N[] = [];
  for (const node of reached) {
    let depth = 0;
    for (let p: N | null = node; p !== null && p !== root; p = naming.parent(p)) depth++;
    const unnamed = depth - names.length;
    if (unnamed < best) {
      best = unnamed;
      out = [node];
    } else if (unnamed === best) out.push(node);
  }
  return out;
}

/** three.js's PropertyBinding.sanitizeNodeName: white space to "_", and "[", "]", ".", ":", "/" dropped. */
export function sanitizeNodeName(name: string): string {
  return name.replace(/\s/g, '_').replace(/[[\].:/]/g, '');
}

/**
 * three.js's GLTFLoader names, in the order it reserves them: the sanitized name, then "_1", "_2"
 * for each repeat (GLTFParser.createUniqueName). `in` on a plain object, as the loader does, so even
 * its quirks match.
 */
export class LoaderNames {
  private readonly used: Record<string, number> = {};

  unique(original: string): string {
    const name = sanitizeNodeName(original);
    if (name in this.used) return `${name}_${++this.used[name]}`;
    this.used[name] = 0;
    return name;
  }
}
