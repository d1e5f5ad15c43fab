/**
 * Checks every glTF the project ships or tests with against the Khronos glTF validator: every `.glb`
 * and `.gltf` under the folders given (external buffers and images are read from beside the file).
 * Any error fails; warnings are printed. Files broken on purpose (to test how the app reports them)
 * are listed below with the reason, and must stay broken.
 * Run: npx tsx tools/validate-gltf.ts models e2e/twins .tmp/e2e-twins
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import validator from 'gltf-validator';

const BROKEN_ON_PURPOSE: Record<string, string> = {
  'e2e/twins/broken-model/corrupt.glb': 'the corrupt-model test: the scene must name the file and carry on',
};

function gltfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...gltfFiles(path));
    else if (/\.(glb|gltf)$/i.test(name)) out.push(path);
  }
  return out;
}

interface Report {
  issues: {
    numErrors: number;
    numWarnings: number;
    messages: { code: string; message: string; severity: number; pointer?: string }[];
  };
}

async function validate(file: string): Promise<Report> {
  return (await validator.validateBytes(new Uint8Array(readFileSync(file)), {
    uri: file,
    maxIssues: 50,
    externalResourceFunction: (uri: string) =>
      Promise.resolve(new Uint8Array(readFileSync(join(dirname(file), decodeURIComponent(uri))))),
  })) as Report;
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx tools/validate-gltf.ts <folder>...');
  process.exit(2);
}
let failed = 0;
let checked = 0;
for (const dir of dirs) {
  for (const file of gltfFiles(resolve(dir))) {
    const rel = relative(process.cwd(), file);
    const report = await validate(file).catch((err: unknown): Report => ({
      issues: { numErrors: 1, numWarnings: 0, messages: [{ code: 'UNREADABLE', message: String(err), severity: 0 }] },
    }));
    checked++;
    const { numErrors, numWarnings, messages } = report.issues;
    if (rel in BROKEN_ON_PURPOSE) {
      if (numErrors === 0) {
        console.error(`✗ ${rel}: expected to be broken (${BROKEN_ON_PURPOSE[rel]}), but it is valid`);
        failed++;
      } else console.log(`· ${rel}: broken on purpose (${BROKEN_ON_PURPOSE[rel]})`);
      continue;
    }
    if (numErrors > 0) {
      failed++;
      console.error(`✗ ${rel}: ${numErrors} error(s)`);
      for (const m of messages.filter((m) => m.severity === 0))
        console.error(`    ${m.code} ${m.pointer ?? ''}: ${m.message}`);
    } else {
      console.log(
        `✓ ${rel}${
          numWarnings
            ? ` (${numWarnings} warning(s): ${messages
                .filter((m) => m.severity === 1)
                .map((m) => m.code)
                .join(', ')})`
            : ''
        }`,
      );
    }
  }
}
console.log(`${checked} glTF file(s) checked, ${failed} with errors`);
process.exit(failed > 0 ? 1 : 0);
