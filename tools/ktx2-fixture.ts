/**
 * Makes the KTX2 end-to-end fixture: e2e/twins/broken-model/fan-ktx2.glb, the fan whose housing takes
 * its colour from a KTX2 texture (KHR_texture_basisu). No Basis encoder is available here, so the
 * texture is an uncompressed RGBA8 KTX2 container (written with three's bundled ktx-parse); it goes
 * through the same GLTFLoader → KTX2Loader path as a Basis-compressed one, transcoder aside.
 * Run: npx tsx tools/ktx2-fixture.ts
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRTextureBasisu } from '@gltf-transform/extensions';
// @ts-expect-error three ships this module without type declarations
import { createDefaultContainer, write, VK_FORMAT_R8G8B8A8_SRGB } from 'three/examples/jsm/libs/ktx-parse.module.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../e2e/twins/broken-model');
/** A clear blue, so the test can tell the texture was decoded and applied (the fan is grey otherwise). */
const RGBA = [0x22, 0x55, 0xdd, 0xff];
const SIZE = 4;

function ktx2Rgba(): Uint8Array {
  const c = createDefaultContainer();
  c.vkFormat = VK_FORMAT_R8G8B8A8_SRGB;
  c.typeSize = 1;
  c.pixelWidth = SIZE;
  c.pixelHeight = SIZE;
  c.levelCount = 1;
  const data = new Uint8Array(SIZE * SIZE * 4);
  for (let i = 0; i < data.length; i += 4) data.set(RGBA, i);
  c.levels = [{ levelData: data, uncompressedByteLength: data.byteLength }];
  const dfd = c.dataFormatDescriptor[0];
  dfd.colorModel = 1; // RGBSDA
  dfd.transferFunction = 2; // sRGB
  dfd.bytesPlane = [4, 0, 0, 0, 0, 0, 0, 0];
  dfd.samples = [0, 1, 2, 15].map((channel, i) => ({
    bitOffset: i * 8,
    bitLength: 7,
    channelType: channel === 15 ? channel | 0x10 : channel, // alpha is linear even in sRGB data
    samplePosition: [0, 0, 0, 0],
    sampleLower: 0,
    sampleUpper: 255,
  }));
  return write(c) as Uint8Array;
}

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);
const doc = await io.read(resolve(DIR, 'fan.glb'));
doc.createExtension(KHRTextureBasisu).setRequired(true);
const texture = doc.createTexture('housing-ktx2').setImage(ktx2Rgba()).setMimeType('image/ktx2').setURI('housing.ktx2');
const housing = doc
  .getRoot()
  .listNodes()
  .find((n) => n.getName() === 'CoolingFan_Housing');
const mesh = housing?.getMesh();
if (!mesh) throw new Error('fan.glb has no CoolingFan_Housing mesh');
for (const prim of mesh.listPrimitives()) {
  const material = prim.getMaterial()?.clone().setName('HousingKtx2').setBaseColorFactor([1, 1, 1, 1]);
  material?.setBaseColorTexture(texture);
  if (material) prim.setMaterial(material);
}
await io.write(resolve(DIR, 'fan-ktx2.glb'), doc);
console.log(`wrote ${resolve(DIR, 'fan-ktx2.glb')}`);
