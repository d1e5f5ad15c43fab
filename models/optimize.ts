/**
 * Compresses a glTF/GLB for the browser with glTF-Transform: removes duplicates and unused data, welds
 * vertices, then compresses geometry with meshopt (default; fast to decode) or Draco. Node names are
 * kept (no flattening or joining), because bindings address nodes by name.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { dedup, draco, meshopt, prune, quantize, weld } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';

export type Codec = 'meshopt' | 'draco';

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

/** Reads, compresses and writes a GLB; returns the sizes in bytes. */
export async function optimizeFile(
  input: string,
  output: string,
  options: { codec: Codec },
): Promise<{ before: number; after: number; codec: Codec }> {
  const bytes = await readFile(input);
  const nodeIo = await io();
  const document = await nodeIo.readBinary(new Uint8Array(bytes));
  await optimizeDocument(document, options.codec);
  const out = await nodeIo.writeBinary(document);
  await writeFile(output, out);
  return { before: bytes.byteLength, after: out.byteLength, codec: options.codec };
}

/** Reads a GLB with every decoder registered (for tests and tools). */
export async function readGlb(path: string): Promise<Document> {
  return (await io()).readBinary(new Uint8Array(await readFile(path)));
}
