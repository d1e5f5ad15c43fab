/**
 * Reads a twin's model files for `twin validate`: only the glTF JSON and the files it names (a .glb's
 * chunks, a .gltf's external buffers and images), with glTF-Transform's NodeIO, so Draco, meshopt or
 * KTX2 data need no decoder and nothing of three.js is loaded. The node tree comes from the JSON
 * (src/twin/modelNodes.ts). A missing, truncated or broken file is a result, never a throw.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import type { Twin } from '../../src/twin/schema';
import { modelTree, type ModelFile } from '../../src/twin/modelNodes';

/** One model file's node tree, or why it cannot be read. */
export async function readModelFile(file: string): Promise<ModelFile> {
  try {
    await stat(file);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    return { ok: false, error: code === 'ENOENT' ? 'no such file' : describe(err) };
  }
  let json: unknown;
  try {
    json = (await new NodeIO().readAsJSON(file)).json;
  } catch (err) {
    return { ok: false, error: `not a readable glTF file (${describe(err)})` };
  }
  const tree = modelTree(json);
  return tree.ok ? { ok: true, tree: tree.tree } : { ok: false, error: `broken node tree: ${tree.error}` };
}

/** Every model the twin's assets place, read once each, by the asset's `model` path. */
export async function readTwinModels(twinFolder: string, twin: Twin): Promise<Map<string, ModelFile>> {
  const models = new Map<string, ModelFile>();
  for (const asset of twin.assets) {
    if (!models.has(asset.model)) models.set(asset.model, await readModelFile(join(twinFolder, asset.model)));
  }
  return models;
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    // A .gltf's external buffer or image that is not there: name it.
    const path = (err as { path?: unknown }).path;
    return typeof path === 'string' ? `the file it names, ${basename(path)}, is missing` : 'a file it names is missing';
  }
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
