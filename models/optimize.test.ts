import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optimizeFile, readGlb } from './optimize';

const station = join(import.meta.dirname, 'pump-station', 'station.glb');
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
});
