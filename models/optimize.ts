/**
 * Compresses a glTF/GLB for the browser with glTF-Transform: removes duplicates and unused data, welds
 * vertices, then compresses geometry with meshopt (default; fast to decode) or Draco, and optionally
 * textures to Basis Universal KTX2 (models/textures.ts). Node names are kept (no flattening or joining),
 * because bindings address nodes by name.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { dedup, draco, meshopt, prune, quantize, weld } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import { compressTextures, type KeptTexture, type TextureResult } from './textures';

export type Codec = 'meshopt' | 'draco';
/** keep: textures as they are; ktx2: PNG/JPEG/WebP textures to Basis KTX2 (KHR_texture_basisu). */
export type TextureOption = 'keep' | 'ktx2';

export interface OptimizeResult {
  /** Whole file sizes in bytes. */
  before: number;
  after: number;
  codec: Codec;
  textures: TextureOption;
  /** With textures 'ktx2': each compressed texture, and those left as they were. */
  compressed: TextureResult[];
  kept: KeptTexture[];
}

async function io(): Promise<NodeIO> {
  await MeshoptDecoder.ready;
  await MeshoptEncoder.ready;
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
    'draco3d.decoder': await draco3d.createDecoderModule(),
    'draco3d.encoder': await draco3d.createEncoderModule(),
    'meshopt.decoder': MeshoptDecoder,
    'meshopt.encoder': MeshoptEncoder,
  });
}

/** Compresses a document in place. */
export async function optimizeDocument(document: Document, codec: Codec): Promise<void> {
  await document.transform(
    dedup(),
    prune({ keepLeaves: true, keepAttributes: false }),
    weld(),
    ...(codec === 'meshopt'
      ? [quantize(), meshopt({ encoder: MeshoptEncoder, level: 'medium' })]
      : [draco({ method: 'edgebreaker' })]),
  );
}

/**
 * Reads, compresses and writes a GLB; returns the sizes in bytes. Nothing is written when any step fails
 * (a texture that cannot be encoded included).
 */
export async function optimizeFile(
  input: string,
  output: string,
  options: { codec: Codec; textures?: TextureOption },
): Promise<OptimizeResult> {
  const textures = options.textures ?? 'keep';
  const bytes = await readFile(input);
  const nodeIo = await io();
  const document = await nodeIo.readBinary(new Uint8Array(bytes));
  await optimizeDocument(document, options.codec);
  const { compressed, kept } = textures === 'ktx2' ? await compressTextures(document) : { compressed: [], kept: [] };
  const out = await nodeIo.writeBinary(document);
  await writeFile(output, out);
  return { before: bytes.byteLength, after: out.byteLength, codec: options.codec, textures, compressed, kept };
}

/** Reads a GLB with every decoder registered (for tests and tools). */
export async function readGlb(path: string): Promise<Document> {
  return (await io()).readBinary(new Uint8Array(await readFile(path)));
}
