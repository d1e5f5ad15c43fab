import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtures } from '../../e2e/fixtures/build';
import { main } from './twin';
import { readModelFile } from './model-files';

let dir: string;
let fixtures: string[];

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twinview-validate-models-'));
  fixtures = await buildFixtures(dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('twin validate against the model files', () => {
  it('passes the end-to-end fixture twins, exporter names included, except the node km-site lacks on purpose', async () => {
    expect(fixtures).toContain('fixture-exporter-names');
    const files = fixtures.map((f) => join(dir, f, 'twin.json'));
    const { code, out } = await run('validate', ...files);
    const problems = out.filter((l) => !l.startsWith('✓') && !l.startsWith('✗'));
    expect(problems).toEqual([
      expect.stringMatching(
        /fixture-km-site\/twin\.json: \$\.bindings\[1\]\.node: no node "Shed_99" in site\.glb; it has: "Shed_09", /,
      ),
    ]);
    expect(out).toContain(
      `✓ ${join(dir, 'fixture-exporter-names', 'twin.json')}: valid (3 signals, 4 bindings, 1 rule)`,
    );
    expect(code).toBe(1);
  });

  it('names what a model has when a binding names a node it lacks, closest first', async () => {
    const twinFile = join(dir, 'fixture-exporter-names', 'twin.json');
    const doc = JSON.parse(readFileSync(twinFile, 'utf8'));
    doc.bindings[0].node = 'plant/Pump.002/Motr';
    doc.bindings[3].node = 'plant/Flange_C/Bolt';
    const bad = join(dir, 'fixture-exporter-names', 'bad.json');
    writeFileSync(bad, JSON.stringify(doc));
    const { code, out } = await run('validate', bad);
    expect(out).toEqual([
      expect.stringMatching(
        /bad\.json: \$\.bindings\[0\]\.node: no node "Motr" in skid\.glb; it has: "Motor", "Bolt", .* \(and 8 more\)$/,
      ),
      `${bad}: $.bindings[3].node: no "Bolt" below "Flange_C" in skid.glb; "Bolt" is at "plant/Flange_A/Bolt", "plant/Flange_B/Bolt"`,
      '✗ 2 problems in 1 file',
    ]);
    expect(code).toBe(1);
  });

  it('reports corrupt and missing models and a missing node, and does not crash', async () => {
    const file = join(process.cwd(), 'e2e/twins/broken-model/twin.json');
    const { code, out } = await run('validate', file);
    expect(out).toEqual([
      `${file}: $.assets[4].model: cannot read corrupt.glb: not a readable glTF file (Missing required GLB JSON chunk.)`,
      `${file}: $.assets[5].model: cannot read missing.glb: no such file`,
      expect.stringContaining(
        `${file}: $.bindings[1].node: no node "CoolingFan_Rotor" in fan.glb; it has: "CoolingFan"`,
      ),
      '✗ 3 problems in 1 file',
    ]);
    expect(code).toBe(1);
  });

  it('reports a .gltf whose external buffer is missing', async () => {
    const folder = join(dir, 'fixture-external-gltf');
    copyFileSync(join(folder, 'crate.bin'), join(dir, 'crate.bin.saved'));
    rmSync(join(folder, 'crate.bin'));
    try {
      const model = await readModelFile(join(folder, 'crate.gltf'));
      expect(model).toEqual({
        ok: false,
        error: 'not a readable glTF file (the file it names, crate.bin, is missing)',
      });
      const { code, out } = await run('validate', join(folder, 'twin.json'));
      expect(out[0]).toContain('$.assets[0].model: cannot read crate.gltf: not a readable glTF file');
      expect(code).toBe(1);
    } finally {
      copyFileSync(join(dir, 'crate.bin.saved'), join(folder, 'crate.bin'));
    }
  });

  it('--no-models checks the document alone', async () => {
    const file = join(process.cwd(), 'e2e/twins/broken-model/twin.json');
    const { code, out } = await run('validate', '--no-models', file);
    expect(out).toEqual([`✓ ${file}: valid (1 signal, 2 bindings, 0 rules)`]);
    expect(code).toBe(0);
  });

  it('keeps the twins we ship valid, models included', async () => {
    const { code, out } = await run('validate', 'models/pump-station/twin.json', 'models/solar-farm/twin.json');
    expect(out.at(-1)).toBe('✓ all 2 files valid');
    expect(code).toBe(0);
  });
});
