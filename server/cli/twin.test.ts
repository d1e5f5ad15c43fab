import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './twin';
import type { CliIo } from './command';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = 'models/pump-station/twin.json';
const demoText = readFileSync(join(ROOT, DEMO), 'utf8');
const demoDoc = JSON.parse(demoText) as { signals: unknown[]; bindings: unknown[]; rules: unknown[] };
// The counts the ✓ line must report, read from the demo file so adding a binding does not break this test.
const DEMO_COUNTS = `${demoDoc.signals.length} signals, ${demoDoc.bindings.length} bindings, ${demoDoc.rules.length} rules`;

/** Runs the CLI as a user does, in a child process: `npx tsx server/cli/twin.ts ...`. */
function cli(...args: string[]) {
  const run = spawnSync('npx', ['tsx', 'server/cli/twin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the CLI in this process, capturing what it prints. */
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let bad: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-cli-'));
  const doc = JSON.parse(demoText);
  doc.connection.url = 'http://127.0.0.1:9001';
  doc.bindings[2].signal = 'pump2.tmp';
  bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify(doc, null, 2));
});

describe('npm run twin (child process)', () => {
  it('validate: a valid twin prints a ✓ line with its counts and exits 0', () => {
    const { code, stdout } = cli('validate', DEMO);
    expect(stdout.trim()).toBe(`✓ ${DEMO}: valid (${DEMO_COUNTS})`);
    expect(code).toBe(0);
  }, 60_000);

  it('validate: a bad twin prints "<file>: <json path>: <message>" per problem, a summary, and exits 1', () => {
    const { code, stdout } = cli('validate', bad);
    expect(stdout.trim().split('\n')).toEqual([
      `${bad}: $.connection.url: expected a ws:// or wss:// URL`,
      '✗ 1 problem in 1 file',
    ]);
    expect(code).toBe(1);
  }, 60_000);

  it('validate: a missing file is an error of its own, exit 2', () => {
    const { code, stderr } = cli('validate', join(dir, 'nope.json'));
    expect(stderr).toContain(`${join(dir, 'nope.json')}: cannot read: no such file`);
    expect(code).toBe(2);
  }, 60_000);

  it('prints the usage with no arguments, and exits 2 on an unknown command', () => {
    const none = cli();
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Usage: npm run twin -- <command>');
    expect(none.stdout).toMatch(/validate <file\.\.\.>/);
    expect(none.stdout).toMatch(/schema \[--check\]/);
    const unknown = cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: npm run twin -- <command>');
  }, 60_000);
});

describe('twin CLI (in process)', () => {
  it('validate reports reference problems after schema ones are fixed', async () => {
    const doc = JSON.parse(demoText);
    doc.bindings[2].signal = 'pump2.tmp';
    doc.rules[0].when = 'pump1.temp >> 95';
    const file = join(dir, 'refs.json');
    writeFileSync(file, JSON.stringify(doc));
    const { code, out } = await run('validate', file);
    expect(out.split('\n')).toEqual([
      `${file}: $.bindings[2].signal: unknown signal "pump2.tmp"`,
      `${file}: $.rules[0].when: expected a value, found ">" at character 13`,
      '✗ 2 problems in 1 file',
    ]);
    expect(code).toBe(1);
  });

  it('validate reports JSON syntax errors at "$" with line and column', async () => {
    const file = join(dir, 'syntax.json');
    writeFileSync(file, '{\n  "id": "x",\n}\n');
    const { code, out } = await run('validate', file);
    expect(out).toContain(`${file}: $: not valid JSON at line 2, column 12: trailing comma`);
    expect(code).toBe(1);
  });

  it('validate takes several files and sums up', async () => {
    const { code, out } = await run('validate', DEMO, bad);
    expect(out.split('\n')).toEqual([
      `✓ ${DEMO}: valid (${DEMO_COUNTS})`,
      `${bad}: $.connection.url: expected a ws:// or wss:// URL`,
      '✗ 1 problem in 1 file (1 file valid)',
    ]);
    expect(code).toBe(1);
    const both = await run('validate', DEMO, DEMO);
    expect(both.out.split('\n').at(-1)).toBe('✓ all 2 files valid');
    expect(both.code).toBe(0);
  });

  it('validate accepts a twin folder for the twin.json inside it', async () => {
    const { code, out } = await run('validate', join(ROOT, 'models/pump-station'));
    expect(out).toBe(`✓ ${join(ROOT, DEMO)}: valid (${DEMO_COUNTS})`);
    expect(code).toBe(0);
  });

  it('validate exits 2 when any file cannot be read, still checking the others', async () => {
    const folder = join(dir, 'empty-twin');
    mkdirSync(folder, { recursive: true });
    const { code, out, err } = await run('validate', DEMO, folder);
    expect(out).toContain(`✓ ${DEMO}`);
    expect(err).toContain(`${join(folder, 'twin.json')}: cannot read: no such file`);
    expect(code).toBe(2);
  });

  it('validate without files, or with an unknown option, is a usage error', async () => {
    const none = await run('validate');
    expect(none.code).toBe(2);
    expect(none.err).toContain('validate needs at least one file');
    const option = await run('validate', '--strict', DEMO);
    expect(option.code).toBe(2);
    expect(option.err).toContain("Unknown option '--strict'");
  });

  it('<command> --help and help <command> print the command help', async () => {
    for (const args of [
      ['validate', '--help'],
      ['help', 'validate'],
      ['validate', '-h'],
    ]) {
      const { code, out } = await run(...args);
      expect(out).toContain('Usage: npm run twin -- validate <file...>');
      expect(code).toBe(0);
    }
  });

  it('schema --check passes on the committed schema', async () => {
    const { code, out } = await run('schema', '--check');
    expect(out).toContain('is up to date');
    expect(code).toBe(0);
  });
});
