/**
 * Texture compression for `npm run models -- optimize --textures ktx2`: every PNG/JPEG/WebP texture of a
 * glTF-Transform document becomes a Basis Universal KTX2 image (KHR_texture_basisu), encoded by
 * ktx2-encoder (Basis Universal in WASM; images decoded by sharp). How a texture is encoded follows the
 * material slots it is used in:
 *   colour (base colour, emissive, ...)   ETC1S, sRGB: small; colour tolerates its block artefacts
 *   normal maps                           UASTC in the encoder's normal-map mode, linear: higher quality,
 *                                         since ETC1S artefacts in normals show as faceted lighting
 *   other data (metal/rough, occlusion)   ETC1S, linear
 * Mipmaps are generated. Textures that are already KTX2 are kept. Nothing is changed unless every texture
 * encodes: a texture that fails throws an error naming it and leaves the document as it was.
 */
import type { Document, Texture } from '@gltf-transform/core';
import { EXTTextureWebP, KHRTextureBasisu } from '@gltf-transform/extensions';
import * as ktx2Encoder from 'ktx2-encoder';
import type { IBasisModule, IEncodeOptions } from 'ktx2-encoder';
import sharp from 'sharp';

export type TextureMode = 'etc1s-srgb' | 'etc1s-linear' | 'uastc-normal';

export interface TextureResult {
  /** The texture's name, else its URI, else its index ("texture 2"). */
  label: string;
  name: string;
  /** The URI after compression ('' when the texture is embedded without one). */
  uri: string;
  /** The material slots the texture is used in, e.g. ["baseColorTexture"]. */
  slots: string[];
  mode: TextureMode;
  mimeBefore: string;
  width: number;
  height: number;
  before: number;
  after: number;
}

export interface KeptTexture {
  label: string;
  mimeType: string;
  reason: string;
}

export interface CompressTexturesOptions {
  /** ETC1S quality, 1-255 (default 128): higher is larger and closer to the source. */
  etc1sQuality?: number;
  /** Generate mipmaps (default true). */
  mipmaps?: boolean;
}

/** Slots whose texels are colours (sRGB in glTF), core and extensions. */
const COLOUR_SLOTS = new Set([
  'baseColorTexture',
  'emissiveTexture',
  'sheenColorTexture',
  'specularColorTexture',
  'diffuseTexture',
  'specularGlossinessTexture',
  'diffuseTransmissionColorTexture',
]);
const NORMAL_SLOTS = new Set(['normalTexture', 'clearcoatNormalTexture']);
const SOURCE_MIME_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** The names of the edges from properties (materials, extensions) to the texture, not from the root. */
export function textureSlots(document: Document, texture: Texture): string[] {
  const root = document.getRoot();
  const slots = new Set<string>();
  for (const edge of document.getGraph().listParentEdges(texture)) {
    if (edge.getParent() !== root) slots.add(edge.getName());
  }
  return [...slots].sort();
}

/** Normal maps win (their data is least forgiving), then colour; anything else is linear data. */
export function modeForSlots(slots: readonly string[]): TextureMode {
  if (slots.some((s) => NORMAL_SLOTS.has(s))) return 'uastc-normal';
  if (slots.some((s) => COLOUR_SLOTS.has(s))) return 'etc1s-srgb';
  if (slots.length === 0) return 'etc1s-srgb'; // unused: treated as an image, as viewers show it
  return 'etc1s-linear';
}

async function decodeImage(buffer: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

/**
 * ktx2-encoder's Node encoder class. The package types it only under the "node" export condition, which
 * the project's TypeScript settings (bundler resolution) do not select, so its shape is declared here.
 */
interface NodeBasisEncoder {
  init(): Promise<IBasisModule>;
  encode(image: Uint8Array, options?: Partial<IEncodeOptions>): Promise<Uint8Array>;
}

/**
 * The Basis encoder (one WASM instance, made on first use). Its status lines ("Total slices: ...") go to
 * stdout even with debug off, which would bury the command's own output: ktx2-encoder sets debug on every
 * encode, so that setter also turns status output off.
 */
let basis: NodeBasisEncoder | null = null;
async function basisEncoder(): Promise<NodeBasisEncoder> {
  if (!basis) {
    const { NodeBasisEncoder } = ktx2Encoder as unknown as { NodeBasisEncoder?: new () => NodeBasisEncoder };
    if (!NodeBasisEncoder) throw new Error("ktx2-encoder's Node build was not loaded (run this under Node)");
    const encoder = new NodeBasisEncoder();
    const proto = (await encoder.init()).BasisEncoder.prototype as {
      setDebug(debug: boolean): void;
      setStatusOutput?(on: boolean): void;
    };
    const setDebug = proto.setDebug;
    proto.setDebug = function (this: typeof proto, debug: boolean) {
      setDebug.call(this, debug);
      this.setStatusOutput?.(debug);
    };
    basis = encoder;
  }
  return basis;
}

async function encode(image: Uint8Array, mode: TextureMode, options: CompressTexturesOptions): Promise<Uint8Array> {
  const mipmaps = options.mipmaps ?? true;
  const srgb = mode === 'etc1s-srgb';
  return (await basisEncoder()).encode(image, {
    imageDecoder: decodeImage,
    generateMipmap: mipmaps,
    isUASTC: mode === 'uastc-normal',
    isNormalMap: mode === 'uastc-normal',
    isPerceptual: srgb,
    isSetKTX2SRGBTransferFunc: srgb,
    qualityLevel: options.etc1sQuality ?? 128,
    // UASTC: Zstandard supercompression (three's KTX2Loader decodes it).
    needSupercompression: true,
  });
}

function ktx2Uri(uri: string): string {
  return uri.replace(/\.(png|jpe?g|webp)$/i, '.ktx2');
}

/**
 * Compresses the document's PNG/JPEG/WebP textures to Basis KTX2 in place (see the file comment). Returns
 * what was compressed and what was kept. On failure throws, naming the texture, with the document unchanged.
 */
export async function compressTextures(
  document: Document,
  options: CompressTexturesOptions = {},
): Promise<{ compressed: TextureResult[]; kept: KeptTexture[] }> {
  const textures = document.getRoot().listTextures();
  const compressed: { texture: Texture; image: Uint8Array; result: TextureResult }[] = [];
  const kept: KeptTexture[] = [];
  // One at a time: the encoder is one WASM instance, and the order of the results is the document's.
  for (const [index, texture] of textures.entries()) {
    const label = texture.getName() || texture.getURI() || `texture ${index}`;
    const mimeType = texture.getMimeType();
    const source = texture.getImage();
    if (mimeType === 'image/ktx2') {
      kept.push({ label, mimeType, reason: 'already KTX2' });
      continue;
    }
    if (!SOURCE_MIME_TYPES.has(mimeType)) {
      kept.push({ label, mimeType, reason: `not PNG, JPEG or WebP (${mimeType || 'unknown type'})` });
      continue;
    }
    if (!source || source.byteLength === 0) {
      throw new Error(`texture "${label}" has no image data to compress`);
    }
    const slots = textureSlots(document, texture);
    const mode = modeForSlots(slots);
    let image: Uint8Array;
    let size: { width: number; height: number };
    try {
      size = await decodeImage(source);
      image = await encode(source, mode, options);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `texture "${label}" (${mimeType}, ${slots.join(', ') || 'unused'}) could not be encoded to KTX2: ${why}`,
        {
          cause: err,
        },
      );
    }
    compressed.push({
      texture,
      image,
      result: {
        label,
        name: texture.getName(),
        uri: ktx2Uri(texture.getURI()),
        slots,
        mode,
        mimeBefore: mimeType,
        width: size.width,
        height: size.height,
        before: source.byteLength,
        after: image.byteLength,
      },
    });
  }
  // Every texture encoded: only now is the document changed.
  for (const { texture, image, result } of compressed) {
    texture.setImage(image).setMimeType('image/ktx2').setURI(result.uri);
  }
  if (compressed.length > 0) {
    document.createExtension(KHRTextureBasisu).setRequired(true);
    // A WebP extension with no WebP texture left would still be required of viewers: drop it.
    if (
      !document
        .getRoot()
        .listTextures()
        .some((t) => t.getMimeType() === 'image/webp')
    ) {
      document
        .getRoot()
        .listExtensionsUsed()
        .find((e) => e.extensionName === EXTTextureWebP.EXTENSION_NAME)
        ?.dispose();
    }
  }
  return { compressed: compressed.map((c) => c.result), kept };
}
