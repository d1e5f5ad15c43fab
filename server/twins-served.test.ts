/**
 * The twins the server serves (tools/vite-plugin-twins.ts, used by `npm start`, the dev server and
 * the e2e preview): the index marks what the validator refuses and says where each file is, and a
 * folder whose name needs URL encoding can be opened.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connect } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { displayPath, listTwins, twinsPlugin } from '../tools/vite-plugin-twins';
import { validateTwinText } from '../src/twin/validate';

const valid = (id: string, title = id) => ({
  id,
  title,
  connection: { url: 'ws://127.0.0.1:9001', subscribe: ['a/#'] },
});

/** A folder of twins: name → twin.json text (an object is written as JSON). */
function twinsDir(twins: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'twins-served-'));
  for (const [name, doc] of Object.entries(twins)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'twin.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
  return root;
}

describe('listTwins', () => {
  it('marks a twin that parses but fails the validator as invalid, with its problem count', () => {
    const root = twinsDir({
      good: valid('good', 'Good plant'),
      mistakes: { ...valid('mistakes', 'With mistakes'), connection: { url: 'http://x', subscribe: [] } },
      garbage: '{ not json',
    });
    const byId = Object.fromEntries(listTwins([root], validateTwinText, root).map((t) => [t.id, t]));
    expect(byId.good).toMatchObject({ title: 'Good plant', valid: true, problems: 0 });
    expect(byId.mistakes).toMatchObject({ title: 'With mistakes', valid: false });
    expect(byId.mistakes.problems).toBeGreaterThanOrEqual(2);
    expect(byId.garbage).toMatchObject({ title: 'garbage', valid: false, problems: 1 });
  });

  it('names each twin.json where it really is: relative inside the working folder, else absolute', () => {
    const root = twinsDir({ 'north plant': valid('north-plant') });
    expect(listTwins([root], validateTwinText, root)[0]).toMatchObject({
      id: 'north plant',
      path: 'north plant/twin.json',
    });
    expect(listTwins([root], validateTwinText, join(root, 'elsewhere'))[0].path).toBe(
      join(root, 'north plant', 'twin.json'),
    );
  });

  it('lists the first folder of a name only, from the first twins folder that has it', () => {
    const first = twinsDir({ plant: valid('plant', 'First') });
    const second = twinsDir({ plant: valid('plant', 'Second'), other: valid('other') });
    const list = listTwins([first, second], validateTwinText, '/');
    expect(list.map((t) => [t.id, t.title])).toEqual([
      ['plant', 'First'],
      ['other', 'other'],
    ]);
  });
});

describe('displayPath', () => {
  it('is relative with forward slashes inside the folder, absolute outside it', () => {
    expect(displayPath('/repo/models/a/twin.json', '/repo')).toBe('models/a/twin.json');
    expect(displayPath('/other/a/twin.json', '/repo')).toBe('/other/a/twin.json');
  });
});

describe('serving twin files', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  async function serve(dirs: string[]): Promise<string> {
    let middleware: Connect.NextHandleFunction | undefined;
    const plugin = twinsPlugin({ dirs });
    const hook = plugin.configurePreviewServer as (s: unknown) => void;
    hook({ middlewares: { use: (fn: Connect.NextHandleFunction) => (middleware = fn) } });
    server = createServer((req, res) =>
      middleware!(req as Connect.IncomingMessage, res, () => {
        res.statusCode = 418;
        res.end();
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves a folder whose name needs URL encoding, and 404s what is not there', async () => {
    const root = twinsDir({ 'north plant': valid('north-plant', 'North plant') });
    writeFileSync(join(root, 'north plant', 'pump #1.glb'), 'glb');
    const base = await serve([root]);
    const twin = await fetch(`${base}/twins/${encodeURIComponent('north plant')}/twin.json`);
    expect(twin.status).toBe(200);
    expect(((await twin.json()) as { title: string }).title).toBe('North plant');
    const model = await fetch(`${base}/twins/north%20plant/${encodeURIComponent('pump #1.glb')}`);
    expect(await model.text()).toBe('glb');
    expect((await fetch(`${base}/twins/north%20plant/missing.glb`)).status).toBe(404);
    expect((await fetch(`${base}/twins/south%20plant/twin.json`)).status).toBe(404);
    // Malformed percent-encoding is a missing file, not a server error.
    expect((await fetch(`${base}/twins/north%E0%A4%A/twin.json`)).status).toBe(404);
    expect((await fetch(`${base}/twins/north%20plant/%E0%A4%A`)).status).toBe(404);
  });

  it('lists the twins with their validity at /twins/index.json', async () => {
    const root = twinsDir({ ok: valid('ok'), bad: { id: 'bad' } });
    const base = await serve([root]);
    const index = (await (await fetch(`${base}/twins/index.json`)).json()) as { id: string; valid: boolean }[];
    expect(index.map((t) => [t.id, t.valid])).toEqual([
      ['bad', false],
      ['ok', true],
    ]);
  });
});
