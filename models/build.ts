/**
 * Writes the demo models: `npm run models`. The output is deterministic, so the committed .glb files
 * only change in review when this code (or the glTF library) changes.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelStats, writeGlb } from './gltf';
import { PUMP_STATION_MODELS } from './pump-station';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'pump-station');

for (const { file, build } of PUMP_STATION_MODELS) {
  const document = build();
  const bytes = await writeGlb(document);
  const path = join(outDir, file);
  await writeFile(path, bytes);
  const s = modelStats(document);
  console.log(
    `${relative(process.cwd(), path)}: ${s.nodes} nodes, ${s.meshes} meshes, ${s.materials} materials, ` +
      `${s.triangles} triangles, ${(bytes.byteLength / 1024).toFixed(1)} KiB`,
  );
}
