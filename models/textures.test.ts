import { Document, NodeIO, type Texture } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { read, KHR_DF_MODEL_ETC1S, KHR_DF_MODEL_UASTC, KHR_DF_TRANSFER_LINEAR, KHR_DF_TRANSFER_SRGB } from 'ktx-parse';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compressTextures, modeForSlots } from './textures';

const KHR_SUPERCOMPRESSION_BASISLZ = 1;
const KHR_SUPERCOMPRESSION_ZSTD = 2;

/** A PNG of one colour, made from raw pixels. */
async function png(rgba: readonly number[], size = 16): Promise<Uint8Array> {
  const pixels = Buffer.alloc(size * size * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(rgba, i);
  return new Uint8Array(
    await sharp(pixels, { raw: { width: size, height: size, channels: 4 } })
      .png()
      .toBuffer(),
  );
}

/** A material with a PNG base colour, a PNG normal map and a JPEG metallic-roughness texture. */
async function texturedDocument() {
  const document = new Document();
  document.createBuffer();
  const baseColor = document
    .createTexture('albedo')
    .setImage(await png([0x22, 0x55, 0xdd, 0xff]))
    .setMimeType('image/png')
    .setURI('albedo.png');
  const normal = document
    .createTexture('normal')
    .setImage(await png([0x80, 0x80, 0xff, 0xff]))
    .setMimeType('image/png')
    .setURI('normal.png');
  const jpeg = new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 200, b: 40 } } })
      .jpeg()
      .toBuffer(),
  );
  const metalRough = document.createTexture('orm').setImage(jpeg).setMimeType('image/jpeg').setURI('orm.jpg');
  const material = document
    .createMaterial('painted')
    .setBaseColorTexture(baseColor)
    .setNormalTexture(normal)
    .setMetallicRoughnessTexture(metalRough);
  return { document, material, baseColor, normal, metalRough };
}

const ktx = (texture: Texture) => read(texture.getImage()!);
const extensions = (document: Document) =>
  document
    .getRoot()
    .listExtensionsUsed()
    .map((e) => [e.extensionName, e.isRequired()]);

describe('compressTextures', () => {
  it('encodes colour as ETC1S sRGB, normal maps as UASTC linear, other data as ETC1S linear', async () => {
    const { document, baseColor, normal, metalRough } = await texturedDocument();
    const before = baseColor.getImage()!.byteLength;
    const { compressed, kept } = await compressTextures(document);

    expect(kept).toEqual([]);
    expect(compressed.map((r) => [r.label, r.slots, r.mode, r.uri])).toEqual([
      ['albedo', ['baseColorTexture'], 'etc1s-srgb', 'albedo.ktx2'],
      ['normal', ['normalTexture'], 'uastc-normal', 'normal.ktx2'],
      ['orm', ['metallicRoughnessTexture'], 'etc1s-linear', 'orm.ktx2'],
    ]);
    expect(compressed[0]).toMatchObject({ before, width: 16, height: 16, mimeBefore: 'image/png' });
    expect(compressed[0].after).toBe(baseColor.getImage()!.byteLength);
    for (const t of [baseColor, normal, metalRough]) expect(t.getMimeType()).toBe('image/ktx2');
    expect(extensions(document)).toEqual([['KHR_texture_basisu', true]]);

    const colour = ktx(baseColor);
    expect(colour.supercompressionScheme).toBe(KHR_SUPERCOMPRESSION_BASISLZ);
    expect(colour.dataFormatDescriptor[0].colorModel).toBe(KHR_DF_MODEL_ETC1S);
    expect(colour.dataFormatDescriptor[0].transferFunction).toBe(KHR_DF_TRANSFER_SRGB);
    expect([colour.pixelWidth, colour.pixelHeight]).toEqual([16, 16]);
    expect(colour.levelCount).toBe(5); // 16, 8, 4, 2, 1: mipmaps

    const normalMap = ktx(normal);
    expect(normalMap.dataFormatDescriptor[0].colorModel).toBe(KHR_DF_MODEL_UASTC);
    expect(normalMap.dataFormatDescriptor[0].transferFunction).toBe(KHR_DF_TRANSFER_LINEAR);
    expect(normalMap.supercompressionScheme).toBe(KHR_SUPERCOMPRESSION_ZSTD);
    expect(normalMap.levelCount).toBe(5);

    const data = ktx(metalRough);
    expect(data.dataFormatDescriptor[0].colorModel).toBe(KHR_DF_MODEL_ETC1S);
    expect(data.dataFormatDescriptor[0].transferFunction).toBe(KHR_DF_TRANSFER_LINEAR);
    expect([data.pixelWidth, data.pixelHeight, data.levelCount]).toEqual([8, 8, 4]);
  }, 30_000);

  it('round-trips through a GLB with the textures still in their slots', async () => {
    const { document } = await texturedDocument();
    await compressTextures(document);
    const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);
    const copy = await io.readBinary(await io.writeBinary(document));

    expect(extensions(copy)).toEqual([['KHR_texture_basisu', true]]);
    const material = copy.getRoot().listMaterials()[0];
    const slots = [material.getBaseColorTexture(), material.getNormalTexture(), material.getMetallicRoughnessTexture()];
    expect(slots.map((t) => t?.getMimeType())).toEqual(['image/ktx2', 'image/ktx2', 'image/ktx2']);
    expect(slots.map((t) => t && ktx(t).dataFormatDescriptor[0].colorModel)).toEqual([
      KHR_DF_MODEL_ETC1S,
      KHR_DF_MODEL_UASTC,
      KHR_DF_MODEL_ETC1S,
    ]);
    const original = document.getRoot().listMaterials()[0].getBaseColorTexture()!.getImage()!;
    expect(Array.from(material.getBaseColorTexture()!.getImage()!)).toEqual(Array.from(original));
  }, 30_000);

  it('keeps a texture that is already KTX2 byte for byte', async () => {
    const { document, baseColor } = await texturedDocument();
    await compressTextures(document);
    const bytes = Array.from(baseColor.getImage()!);
    const again = await compressTextures(document);
    expect(again.compressed).toEqual([]);
    expect(again.kept.map((k) => [k.label, k.reason])).toEqual([
      ['albedo', 'already KTX2'],
      ['normal', 'already KTX2'],
      ['orm', 'already KTX2'],
    ]);
    expect(Array.from(baseColor.getImage()!)).toEqual(bytes);
  }, 30_000);

  it('fails naming a texture that cannot be decoded, and changes nothing', async () => {
    const { document, material, baseColor } = await texturedDocument();
    const broken = document
      .createTexture('rust-decal')
      .setImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6]))
      .setMimeType('image/png')
      .setURI('rust.png');
    material.setEmissiveTexture(broken);
    const pngBytes = Array.from(baseColor.getImage()!);

    await expect(compressTextures(document)).rejects.toThrow(/texture "rust-decal".*could not be encoded to KTX2/);
    // The textures before it were encoded, but the document keeps its originals.
    expect(baseColor.getMimeType()).toBe('image/png');
    expect(baseColor.getURI()).toBe('albedo.png');
    expect(Array.from(baseColor.getImage()!)).toEqual(pngBytes);
    expect(extensions(document)).toEqual([]);
  }, 30_000);
});

describe('modeForSlots', () => {
  it('picks the encoding from the slots a texture fills', () => {
    expect(modeForSlots(['baseColorTexture'])).toBe('etc1s-srgb');
    expect(modeForSlots(['emissiveTexture'])).toBe('etc1s-srgb');
    expect(modeForSlots(['normalTexture'])).toBe('uastc-normal');
    expect(modeForSlots(['clearcoatNormalTexture'])).toBe('uastc-normal');
    expect(modeForSlots(['occlusionTexture', 'metallicRoughnessTexture'])).toBe('etc1s-linear');
    // A texture shared by a normal and a colour slot keeps the normal map's quality.
    expect(modeForSlots(['baseColorTexture', 'normalTexture'])).toBe('uastc-normal');
  });
});
