import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './twin';

const THERMOSTAT = 'src/twin/importers/fixtures/thermostat.dtdl.json';
const dir = mkdtempSync(join(tmpdir(), 'twinview-from-dtdl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('npm run twin -- from-dtdl', () => {
  it('writes a twin that validates, with the topic convention given, and lists what it left out', async () => {
    const out = join(dir, 'north-hall', 'twin.json');
    const { code, err } = await run(
      'from-dtdl',
      THERMOSTAT,
      '--topic',
      'north/{interface}/{name}',
      '--command-topic',
      'north/{interface}/{name}/cmd',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(err).toHaveLength(6);
    expect(err[4]).toBe(
      `${THERMOSTAT}: $.contents[9]: not imported: a Relationship (links between twins are not part of a twin.json)`,
    );
    expect(err[5]).toBe(`✓ wrote ${out}: 7 signals, 2 commands; 5 notes above`);
    const twin = JSON.parse(readFileSync(out, 'utf8'));
    expect(twin.id).toBe('north-hall');
    expect(twin.connection.url).toBe('ws://127.0.0.1:9001');
    expect(twin.commands.map((c: { topic: string }) => c.topic)).toEqual([
      'north/Thermostat/targetTemperature/cmd',
      'north/Thermostat/reboot/cmd',
    ]);
    expect((await run('validate', out)).code).toBe(0);
  });

  it('refuses a missing or malformed topic convention with its reason (exit 2)', async () => {
    const missing = await run('from-dtdl', THERMOSTAT);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toContain('give the topic convention');
    const unknown = await run('from-dtdl', THERMOSTAT, '--topic', 'plant/{device}/{name}');
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toContain('unknown placeholder "{device}"');
    const wildcard = await run('from-dtdl', THERMOSTAT, '--topic', 'plant/{name}', '--command-topic', 'plant/+/{name}');
    expect(wildcard.code).toBe(2);
    expect((await run('from-dtdl', THERMOSTAT, '--topic', 'p/{name}', '--broker', 'http://x')).code).toBe(2);
    expect((await run('from-dtdl', join(dir, 'nope.json'), '--topic', 'p/{name}')).code).toBe(2);
  });
});
