import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './twin';

const GAS = 'src/twin/importers/fixtures/gas-sensor.td.json';
const dir = mkdtempSync(join(tmpdir(), 'twinview-from-wot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('npm run twin -- from-wot', () => {
  it('writes a twin that validates into the folder it names, and lists what it left out', async () => {
    const out = join(dir, 'gas lab', 'twin.json');
    const { code, out: stdout, err } = await run('from-wot', GAS, '--out', out, '--broker', 'ws://127.0.0.1:9001');
    expect(code).toBe(0);
    expect(stdout).toEqual([]);
    expect(err).toEqual([
      `${GAS}: $.properties.threshold.forms[2]: not imported: a form for https (only MQTT forms become signals and commands)`,
      `${GAS}: $.events.overheating.data.properties.since: not imported: free text (a signal holds numbers, true/false and named states from an enum)`,
      `✓ wrote ${out}: 5 signals, 3 commands; 2 notes above`,
    ]);
    const twin = JSON.parse(readFileSync(out, 'utf8'));
    expect(twin.id).toBe('gas-lab');
    expect(twin.connection.url).toBe('ws://127.0.0.1:9001');
    const check = await run('validate', out);
    expect(check.out).toEqual([`✓ ${out}: valid (5 signals, 0 bindings, 0 rules)`]);
  });

  it('prints the twin as JSON on stdout without --out, with --title and --id', async () => {
    const { code, out } = await run('from-wot', GAS, '--title', 'Gas sensor 7', '--id', 'gas7');
    expect(code).toBe(0);
    const twin = JSON.parse(out.join('\n'));
    expect(twin).toMatchObject({ id: 'gas7', title: 'Gas sensor 7' });
  });

  it('exits 1 when nothing could be imported, 2 for a file it cannot read or bad arguments', async () => {
    const http = join(dir, 'lamp.td.json');
    writeFileSync(
      http,
      JSON.stringify({ title: 'Lamp', properties: { on: { type: 'boolean', forms: [{ href: 'http://lamp/on' }] } } }),
    );
    const none = await run('from-wot', http);
    expect(none.code).toBe(1);
    expect(none.err.at(-1)).toBe(`✗ ${http}: no MQTT forms: nothing to subscribe to or publish (see the notes)`);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"title": ');
    const bad = await run('from-wot', broken);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(new RegExp(`^✗ ${broken}: cannot read: not JSON`));
    expect((await run('from-wot', join(dir, 'nope.json'))).err).toEqual([
      `✗ ${join(dir, 'nope.json')}: cannot read: no such file`,
    ]);
    expect((await run('from-wot')).code).toBe(2);
    expect((await run('from-wot', GAS, '--broker', 'mqtt://x:1883')).code).toBe(2);
    expect((await run('from-wot', GAS, '--id', 'a b')).code).toBe(2);
  });
});
