/**
 * Makes the KTX2 end-to-end fixture: e2e/twins/broken-model/fan-ktx2.glb, the fan whose housing takes
 * its colour from a Basis Universal KTX2 texture (KHR_texture_basisu). The texture starts as a 16x16 PNG
 * of one clear blue and is encoded by the same code as `npm run models -- optimize --textures ktx2`
 * (models/textures.ts: ETC1S, sRGB, with mipmaps), so the test loads it through the app's GLTFLoader →
 * KTX2Loader → Basis transcoder (served at /basis/) path, as a user's compressed model would be.
 * Run: npx tsx tools/ktx2-fixture.ts
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import sharp from 'sharp';
import { compressTextures } from '../models/textures';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../e2e/twins/broken-model');
/** A clear blue, so the test can tell the texture was decoded and applied (the fan is grey otherwise). */
const RGBA = [0x22, 0x55, 0xdd, 0xff];
const SIZE = 16;

async function bluePng(): Promise<Uint8Array> {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set(RGBA, i);
  return new Uint8Array(
    await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 4 } })
      .png()
      .toBuffer(),
  );
}

const io = new NodeIO().registerExtensions(ALL_EXTENSIONS);
const doc = await io.read(resolve(DIR, 'fan.glb'));
const texture = doc
  .createTexture('housing')
  .setImage(await bluePng())
  .setMimeType('image/png')
  .setURI('housing.png');
const housing = doc
  .getRoot()
  .listNodes()
  .find((n) => n.getName() === 'CoolingFan_Housing');
const mesh = housing?.getMesh();
if (!mesh) throw new Error('fan.glb has no CoolingFan_Housing mesh');
const buffer = doc.getRoot().listBuffers()[0];
for (const prim of mesh.listPrimitives()) {
  // A texture needs texture coordinates (the glTF validator says so); one colour reads the same anywhere.
  const count = prim.getAttribute('POSITION')?.getCount() ?? 0;
  const uv = doc
    .createAccessor('housingUv')
    .setType('VEC2')
    .setArray(new Float32Array(count * 2).fill(0.5))
    .setBuffer(buffer);
  prim.setAttribute('TEXCOORD_0', uv);
  const material = prim.getMaterial()?.clone().setName('HousingKtx2').setBaseColorFactor([1, 1, 1, 1]);
  material?.setBaseColorTexture(texture);
  if (material) prim.setMaterial(material);
}
const { compressed } = await compressTextures(doc);
for (const t of compressed) {
  console.log(
    `texture ${t.label} (${t.slots.join(', ')}): ${t.before} B ${t.mimeBefore} -> ${t.after} B KTX2 ${t.mode}`,
  );
}
await io.write(resolve(DIR, 'fan-ktx2.glb'), doc);
console.log(`wrote ${resolve(DIR, 'fan-ktx2.glb')}`);
