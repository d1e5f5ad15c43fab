import { existsSync, mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { read, KHR_DF_MODEL_ETC1S } from 'ktx-parse';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { optimizeFile, readGlb } from './optimize';

const station = join(import.meta.dirname, 'pump-station', 'station.glb');
/** The pump station with a (patterned) PNG base colour texture on its first material; returns the GLB's path. */
async function texturedStation(image?: Uint8Array): Promise<string> {
  const doc = await readGlb(station);
  // Not one solid colour: prune() would replace a solid texture with a material factor.
  const pixels = Buffer.alloc(8 * 8 * 4, 0xff).map((v, i) => (i % 4 === 3 ? v : (i * 7) % 256));
  const png = new Uint8Array(
    await sharp(pixels, { raw: { width: 8, height: 8, channels: 4 } })
      .png()
      .toBuffer(),
  );
  const texture = doc
    .createTexture('paint')
    .setImage(image ?? png)
    .setMimeType('image/png');
  doc.getRoot().listMaterials()[0].setBaseColorTexture(texture);
  const path = join(mkdtempSync(join(tmpdir(), 'twinview-opt-')), 'station-png.glb');
  await writeFile(path, await new NodeIO().registerExtensions(ALL_EXTENSIONS).writeBinary(doc));
  return path;
}

const names = async (path: string) =>
  (await readGlb(path))
    .getRoot()
    .listNodes()
    .map((n) => n.getName())
    .sort();

describe('models optimize', () => {
  for (const codec of ['meshopt', 'draco'] as const) {
    it(`compresses with ${codec}, keeping every node name bindings may address`, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'twinview-opt-')), `station-${codec}.glb`);
      const r = await optimizeFile(station, out, { codec });
      expect(r.after).toBeLessThan(r.before / 2);
      expect(await names(out)).toEqual(await names(station));
      const doc = await readGlb(out);
      const used = doc
        .getRoot()
        .listExtensionsUsed()
        .map((e) => e.extensionName);
      expect(used).toContain(codec === 'meshopt' ? 'EXT_meshopt_compression' : 'KHR_draco_mesh_compression');
    }, 30_000);
  }

  it('refuses a file that is not a glTF with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-opt-'));
    await expect(
      optimizeFile(join(import.meta.dirname, 'twin.schema.json'), join(dir, 'x.glb'), { codec: 'meshopt' }),
    ).rejects.toThrow();
  });

  it('leaves textures alone by default', async () => {
    const input = await texturedStation();
    const out = join(mkdtempSync(join(tmpdir(), 'twinview-opt-')), 'out.glb');
    const r = await optimizeFile(input, out, { codec: 'meshopt' });
    expect(r).toMatchObject({ textures: 'keep', compressed: [], kept: [] });
    expect((await readGlb(out)).getRoot().listTextures()[0].getMimeType()).toBe('image/png');
  }, 30_000);

  it('with textures ktx2, compresses the texture to Basis KTX2 and keeps node names', async () => {
    const input = await texturedStation();
    const out = join(mkdtempSync(join(tmpdir(), 'twinview-opt-')), 'out.glb');
    const r = await optimizeFile(input, out, { codec: 'meshopt', textures: 'ktx2' });
    expect(r.compressed.map((t) => [t.label, t.slots, t.mode])).toEqual([
      ['paint', ['baseColorTexture'], 'etc1s-srgb'],
    ]);
    expect(await names(out)).toEqual(await names(station));
    const doc = await readGlb(out);
    const used = doc
      .getRoot()
      .listExtensionsUsed()
      .map((e) => [e.extensionName, e.isRequired()]);
    expect(used).toContainEqual(['KHR_texture_basisu', true]);
    expect(used).toContainEqual(['EXT_meshopt_compression', true]);
    const texture = doc.getRoot().listTextures()[0];
    expect(texture.getMimeType()).toBe('image/ktx2');
    expect(read(texture.getImage()!).dataFormatDescriptor[0].colorModel).toBe(KHR_DF_MODEL_ETC1S);
  }, 30_000);

  it('writes nothing when a texture cannot be encoded, and names it', async () => {
    const input = await texturedStation(new Uint8Array([1, 2, 3, 4]));
    const out = join(mkdtempSync(join(tmpdir(), 'twinview-opt-')), 'out.glb');
    await expect(optimizeFile(input, out, { codec: 'draco', textures: 'ktx2' })).rejects.toThrow(/texture "paint"/);
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});
