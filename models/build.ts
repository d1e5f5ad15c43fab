/**
 * The models command (`npm run models -- <command>`; `--help` prints the usage below):
 *   (none)                         writes the demo models and the generated solar-farm twin; deterministic,
 *                                  so the committed files only change when this code (or glTF tooling) does
 *   optimize <in.glb> <out.glb> [--codec meshopt|draco] [--textures keep|ktx2]
 *                                  compresses a user's model: geometry, and with --textures ktx2 its PNG/JPEG/WebP
 *                                  textures to Basis KTX2 (see docs/twin-format.md, "Bringing your own models");
 *                                  a flag's value may follow it or an "=" (--codec=draco)
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document } from '@gltf-transform/core';
import { format, resolveConfig } from 'prettier';
import { modelStats, writeGlb } from './gltf';
import { PUMP_STATION_MODELS } from './pump-station';
import { SOLAR_FARM_MODELS, solarFarmTwin } from './solar-farm';
import { optimizeFile, type Codec, type TextureOption } from './optimize';

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

const HELP = `Usage: npm run models -- [command]

Commands:
  (none), build                  write the demo models (models/pump-station/*.glb,
                                 models/solar-farm/solar-panel.glb) and the generated
                                 models/solar-farm/twin.json
  optimize <in.glb> <out.glb> [--codec meshopt|draco] [--textures keep|ktx2]
                                 compress a model for the web: geometry (meshopt by default, or Draco),
                                 and with --textures ktx2 its PNG/JPEG/WebP textures to Basis KTX2;
                                 node names are kept, so bindings still find them
  help, --help, -h               this text

Details: docs/twin-format.md, "Loading, compression and broken files".
Exit status: 0 done, 1 a model could not be optimized, 2 bad arguments.`;

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

const [command, ...args] = process.argv.slice(2);
if (isHelp(command) || args.some(isHelp)) {
  console.log(HELP);
} else if (command === undefined || command === 'build') {
  await writeModels('pump-station', PUMP_STATION_MODELS);
  await writeModels('solar-farm', SOLAR_FARM_MODELS);
  const twinPath = join(here, 'solar-farm', 'twin.json');
  // Formatted as the repository's other files are, so `prettier --check` passes on the generated twin.
  const options = (await resolveConfig(twinPath)) ?? {};
  await writeFile(twinPath, await format(JSON.stringify(solarFarmTwin()), { ...options, parser: 'json' }));
  console.log(`${relative(process.cwd(), twinPath)}: generated`);
} else if (command === 'optimize') {
  const usage = 'usage: npm run models -- optimize <in.glb> <out.glb> [--codec meshopt|draco] [--textures keep|ktx2]';
  const parsed = parseOptimizeArgs(args);
  if (!parsed) {
    console.error(usage);
    process.exit(2);
  }
  const { files, codec, textures } = parsed;
  try {
    const r = await optimizeFile(files[0], files[1], { codec, textures });
    console.log(
      `${files[1]}: ${(r.before / 1024).toFixed(1)} KiB -> ${(r.after / 1024).toFixed(1)} KiB ` +
        `(${((r.after / r.before) * 100).toFixed(0)}%), ${r.codec}; node names kept`,
    );
    for (const t of r.compressed) {
      console.log(
        `  texture ${t.label} (${t.slots.join(', ') || 'unused'}, ${t.width}x${t.height}): ` +
          `${t.mimeBefore} ${(t.before / 1024).toFixed(1)} KiB -> KTX2 ${t.mode} ${(t.after / 1024).toFixed(1)} KiB`,
      );
    }
    for (const t of r.kept) console.log(`  texture ${t.label}: kept, ${t.reason}`);
  } catch (err) {
    console.error(`could not optimize ${files[0]}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
} else {
  console.error(`unknown command "${command}"\n`);
  console.error(HELP);
  process.exit(2);
}

/** `<in> <out> [--codec meshopt|draco] [--textures keep|ktx2]`, each value after a space or "="; null if malformed. */
function parseOptimizeArgs(
  argv: readonly string[],
): { files: [string, string]; codec: Codec; textures: TextureOption } | null {
  const files: string[] = [];
  const flags: Record<string, string> = { codec: 'meshopt', textures: 'keep' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (!(name in flags) || value === undefined) return null;
    flags[name] = value;
  }
  const { codec, textures } = flags;
  if (
    files.length !== 2 ||
    (codec !== 'meshopt' && codec !== 'draco') ||
    (textures !== 'keep' && textures !== 'ktx2')
  ) {
    return null;
  }
  return { files: [files[0], files[1]], codec, textures };
}
