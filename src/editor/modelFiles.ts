/**
 * Files dropped into the editor: which of them are models (a .glb, or a .gltf with the .bin and
 * textures it names, dropped together), which models are broken and why, and the asset id each model
 * gets. Pure: bytes in, decisions out (the section reads the files, the draft stores them).
 */

export interface DroppedFile {
  /** The file's name as dropped ("pump.glb"); folders are not kept by a drop. */
  name: string;
  bytes: Uint8Array;
}

/** A model file ready to become an asset. */
export interface DroppedModel {
  /** Its path in the twin folder (the file name). */
  path: string;
  /** The glTF JSON (for a .glb, its JSON chunk). */
  json: unknown;
}

export interface DropResult {
  /** Models that read well and have every file they name. */
  models: DroppedModel[];
  /** Files to add to the draft: the models and the files they name, by their path in the folder. */
  files: { path: string; source: string }[];
  /** Files not added, each with the reason. */
  rejected: { file: string; reason: string }[];
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"

export type ModelJson = { ok: true; json: unknown } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The glTF JSON of a .glb (its JSON chunk) or a .gltf (the whole file), or why it cannot be read. */
export function readModelJson(name: string, bytes: Uint8Array): ModelJson {
  let text: string;
  if (/\.glb$/i.test(name)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 4 || view.getUint32(0, true) !== GLB_MAGIC)
      return { ok: false, error: 'not a GLB file (no "glTF" header)' };
    if (bytes.byteLength < 20) return { ok: false, error: 'truncated: too short for a GLB file' };
    const version = view.getUint32(4, true);
    if (version !== 2) return { ok: false, error: `GLB version ${version}; only glTF 2.0 is supported` };
    const length = view.getUint32(8, true);
    if (length > bytes.byteLength)
      return { ok: false, error: `truncated: the header says ${length} bytes, the file has ${bytes.byteLength}` };
    const chunkLength = view.getUint32(12, true);
    if (view.getUint32(16, true) !== CHUNK_JSON) return { ok: false, error: 'the first chunk is not the JSON chunk' };
    if (20 + chunkLength > bytes.byteLength) return { ok: false, error: 'truncated JSON chunk' };
    text = new TextDecoder().decode(bytes.subarray(20, 20 + chunkLength));
  } else if (/\.gltf$/i.test(name)) {
    text = new TextDecoder().decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } else {
    return { ok: false, error: 'not a .glb or .gltf file' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `its JSON does not parse: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!isObject(json)) return { ok: false, error: 'its JSON is not an object' };
  const version = isObject(json.asset) ? json.asset.version : undefined;
  if (typeof version !== 'string' || !version.startsWith('2.'))
    return { ok: false, error: `glTF version ${JSON.stringify(version)}; only glTF 2.0 is supported` };
  return { ok: true, json };
}

/** The external files a glTF names (buffers and images by URI, not embedded data: URIs), decoded. */
export function externalFiles(json: unknown): string[] {
  if (!isObject(json)) return [];
  const out: string[] = [];
  for (const key of ['buffers', 'images'] as const) {
    const list = json[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const uri = isObject(item) ? item.uri : undefined;
      if (typeof uri !== 'string' || uri.startsWith('data:')) continue;
      let path = uri;
      try {
        path = decodeURIComponent(uri);
      } catch {
        // A malformed escape: the loader will look for the URI as written.
      }
      if (!out.includes(path)) out.push(path);
    }
  }
  return out;
}

/** Whether a path stays inside the twin folder (relative, no ".."), as the saving server will insist. */
function insideFolder(path: string): boolean {
  return path !== '' && !/^[/\\]|^[A-Za-z]:|:\/\//.test(path) && !path.split(/[/\\]/).includes('..');
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Sorts a drop: each .glb and .gltf is checked (it parses as glTF 2.0; a .gltf has every external
 * file it names, dropped with it or already in the draft); the files a good .gltf names are added at
 * the path it names them by. Files no model names are not added (with the reason). `existing` are the
 * paths already in the draft.
 */
export function sortDrop(dropped: readonly DroppedFile[], existing: readonly string[] = []): DropResult {
  const result: DropResult = { models: [], files: [], rejected: [] };
  const byName = new Map(dropped.map((f) => [f.name, f]));
  const used = new Set<string>();
  for (const file of dropped) {
    if (!/\.(glb|gltf)$/i.test(file.name)) continue;
    used.add(file.name);
    const read = readModelJson(file.name, file.bytes);
    if (!read.ok) {
      result.rejected.push({ file: file.name, reason: read.error });
      continue;
    }
    const needs = externalFiles(read.json);
    const outside = needs.filter((p) => !insideFolder(p));
    if (outside.length > 0) {
      result.rejected.push({ file: file.name, reason: `it names files outside its folder: ${outside.join(', ')}` });
      continue;
    }
    // A drop has no folders: a texture named "textures/rust.png" is matched by its file name.
    const parts = needs.map((path) => ({ path, source: byName.get(path) ?? byName.get(baseName(path)) }));
    const missing = parts.filter((p) => !p.source && !existing.includes(p.path)).map((p) => p.path);
    if (missing.length > 0) {
      result.rejected.push({
        file: file.name,
        reason: `it needs ${missing.join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not dropped with it`,
      });
      continue;
    }
    result.models.push({ path: file.name, json: read.json });
    result.files.push({ path: file.name, source: file.name });
    for (const part of parts) {
      if (!part.source) continue;
      used.add(part.source.name);
      if (!result.files.some((f) => f.path === part.path))
        result.files.push({ path: part.path, source: part.source.name });
    }
  }
  for (const file of dropped) {
    if (!used.has(file.name))
      result.rejected.push({ file: file.name, reason: 'no model dropped with it names this file' });
  }
  return result;
}

const ID_CHARS = /[^A-Za-z0-9_.-]+/g;

/**
 * An asset id from a model's file name ("Pump Station v2.glb" → "Pump-Station-v2"): the schema's
 * characters only, and unique among `taken` ("pump", "pump-2", ...).
 */
export function assetIdFor(fileName: string, taken: Iterable<string>): string {
  const stem = baseName(fileName).replace(/\.(glb|gltf)$/i, '');
  const base =
    stem
      .replace(ID_CHARS, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'model';
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A .gltf whose external files are given as URLs (the preview's blob URLs): the same JSON with each
 * buffer's and image's URI replaced by `urlOf(path)` where it gives one. The input is not changed.
 */
export function withFileUrls(json: unknown, urlOf: (path: string) => string | null): unknown {
  if (!isObject(json)) return json;
  const out: Record<string, unknown> = { ...json };
  for (const key of ['buffers', 'images'] as const) {
    const list = json[key];
    if (!Array.isArray(list)) continue;
    out[key] = list.map((item: unknown) => {
      if (!isObject(item) || typeof item.uri !== 'string' || item.uri.startsWith('data:')) return item;
      let path = item.uri;
      try {
        path = decodeURIComponent(item.uri);
      } catch {
        // as written
      }
      const url = urlOf(path);
      return url === null ? item : { ...item, uri: url };
    });
  }
  return out;
}
