import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const models = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'models/build.ts', ...args], { cwd: REPO, encoding: 'utf8' });

describe('npm run models -- --help', () => {
  it('prints the usage and exits 0, writing nothing', { timeout: 120_000 }, () => {
    for (const flag of ['--help', '-h', 'help']) {
      const run = models(flag);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Usage: npm run models -- [command]');
      expect(run.stdout).toContain('optimize <in.glb> <out.glb>');
      expect(run.stdout).not.toContain('KiB'); // no model was built
    }
    expect(models('optimize', '--help').status).toBe(0);
  });

  it('names an unknown command and shows the usage, exit 2', { timeout: 120_000 }, () => {
    const run = models('frob');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown command "frob"');
    expect(run.stderr).toContain('Usage: npm run models -- [command]');
  });
});
