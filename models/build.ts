/**
 * The models command (`npm run models -- <command>`):
 *   (none)                         writes the demo models and the generated solar-farm twin; deterministic,
 *                                  so the committed files only change when this code (or glTF tooling) does
 *   optimize <in.glb> <out.glb> [--codec meshopt|draco]
 *                                  compresses a user's model (see docs/twin-format.md, "Bringing your own models")
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document } from '@gltf-transform/core';
import { format, resolveConfig } from 'prettier';
import { modelStats, writeGlb } from './gltf';
import { PUMP_STATION_MODELS } from './pump-station';
import { SOLAR_FARM_MODELS, solarFarmTwin } from './solar-farm';
import { optimizeFile, type Codec } from './optimize';

const here = dirname(fileURLToPath(import.meta.url));

async function writeModels(folder: string, models: readonly { file: string; build: () => Document }[]) {
  for (const { file, build } of models) {
    const document = build();
    const bytes = await writeGlb(document);
    const path = join(here, folder, file);
    await writeFile(path, bytes);
    const s = modelStats(document);
    console.log(
      `${relative(process.cwd(), path)}: ${s.nodes} nodes, ${s.meshes} meshes, ${s.materials} materials, ` +
        `${s.triangles} triangles, ${(bytes.byteLength / 1024).toFixed(1)} KiB`,
    );
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === 'build') {
  await writeModels('pump-station', PUMP_STATION_MODELS);
  await writeModels('solar-farm', SOLAR_FARM_MODELS);
  const twinPath = join(here, 'solar-farm', 'twin.json');
  // Formatted as the repository's other files are, so `prettier --check` passes on the generated twin.
  const options = (await resolveConfig(twinPath)) ?? {};
  await writeFile(twinPath, await format(JSON.stringify(solarFarmTwin()), { ...options, parser: 'json' }));
  console.log(`${relative(process.cwd(), twinPath)}: generated`);
} else if (command === 'optimize') {
  const files = args.filter((a) => !a.startsWith('--'));
  const codecArg = args.find((a) => a.startsWith('--codec='))?.slice('--codec='.length) ?? 'meshopt';
  if (files.length !== 2 || (codecArg !== 'meshopt' && codecArg !== 'draco')) {
    console.error('usage: npm run models -- optimize <in.glb> <out.glb> [--codec=meshopt|draco]');
    process.exit(2);
  }
  try {
    const r = await optimizeFile(files[0], files[1], { codec: codecArg as Codec });
    console.log(
      `${files[1]}: ${(r.before / 1024).toFixed(1)} KiB -> ${(r.after / 1024).toFixed(1)} KiB ` +
        `(${((r.after / r.before) * 100).toFixed(0)}%), ${r.codec}; node names kept`,
    );
  } catch (err) {
    console.error(`could not optimize ${files[0]}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
} else {
  console.error(`unknown command "${command}": use "optimize <in.glb> <out.glb>", or nothing to build the demo models`);
  process.exit(2);
}
