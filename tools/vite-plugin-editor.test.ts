/**
 * Saving from the editor (tools/vite-plugin-editor.ts): what it writes, and every refusal with its
 * status: 403 (not loopback, not same-origin, saving off), 400 (folder, path, body, invalid twin),
 * 409 (exists), 413 (too big).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateTwinText } from '../src/twin/validate';
import {
  editorMiddleware,
  filePathProblem,
  folderProblem,
  refusal,
  type EditorPluginOptions,
} from './vite-plugin-editor';

const twin = (id = 'plant') =>
  JSON.stringify({ id, title: 'Plant', connection: { url: 'ws://127.0.0.1:9001', subscribe: ['#'] } }, null, 2) + '\n';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(options: Partial<EditorPluginOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'editor-save-'));
  const middleware = editorMiddleware({ dir, validate: async () => validateTwinText, ...options });
  const server = createServer((req, res) =>
    middleware(req, res, () => {
      res.statusCode = 404;
      res.end('next');
    }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const call = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          headers: {
            origin: `http://127.0.0.1:${port}`,
            'content-type': 'application/json',
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  return { dir, port, call };
}

describe('editor save API', () => {
  it('status says whether saving is on, and where', async () => {
    const { call } = await serve();
    expect((await call('GET', '/api/editor/v1/status')).body).toMatchObject({ save: true });
    const off = await serve({ dir: undefined });
    expect((await off.call('GET', '/api/editor/v1/status')).body).toEqual({ save: false, dir: '' });
  });

  it('writes twin.json as sent and the files, decoded, into the folder', async () => {
    const { dir, call } = await serve();
    const res = await call('PUT', '/api/editor/v1/twins/plant', {
      twinJson: twin(),
      files: { 'pump.glb': Buffer.from('glTF-bytes').toString('base64'), 'tex/a.png': '' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, folder: 'plant', files: ['pump.glb', 'tex/a.png'] });
    expect(String(res.body.path)).toMatch(/plant\/twin\.json$/);
    expect(readFileSync(join(dir, 'plant', 'twin.json'), 'utf8')).toBe(twin());
    expect(readFileSync(join(dir, 'plant', 'pump.glb'), 'utf8')).toBe('glTF-bytes');
  });

  it('refuses an invalid twin with the validator problems, writing nothing', async () => {
    const { dir, call } = await serve();
    const res = await call('PUT', '/api/editor/v1/twins/plant', { twinJson: '{"id":"plant"}', files: {} });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: '$.title' })]));
    expect(existsSync(join(dir, 'plant'))).toBe(false);
  });

  it('refuses bad folder names and file paths', async () => {
    const { dir, call } = await serve();
    for (const folder of ['..', '.hidden', 'a%2Fb', 'a%5Cb', '%2E%2E'])
      expect((await call('PUT', `/api/editor/v1/twins/${folder}`, { twinJson: twin(), files: {} })).status).toBe(400);
    for (const path of ['../x.glb', '/etc/x', 'a/../../x', 'C:/x', 'a\\b', 'twin.json', '.git/config'])
      expect(
        (await call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin(), files: { [path]: '' } })).status,
      ).toBe(400);
    expect(existsSync(join(dir, 'plant'))).toBe(false);
  });

  it('refuses to replace an existing twin unless asked to overwrite', async () => {
    const { dir, call } = await serve();
    mkdirSync(join(dir, 'plant'));
    writeFileSync(join(dir, 'plant', 'twin.json'), 'old');
    const res = await call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin(), files: {} });
    expect(res.status).toBe(409);
    expect(readFileSync(join(dir, 'plant', 'twin.json'), 'utf8')).toBe('old');
    const again = await call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin(), files: {}, overwrite: true });
    expect(again.status).toBe(200);
    expect(readFileSync(join(dir, 'plant', 'twin.json'), 'utf8')).toBe(twin());
  });

  it('a twin served from another folder counts as existing and is not shadowed', async () => {
    const other = mkdtempSync(join(tmpdir(), 'editor-other-'));
    mkdirSync(join(other, 'plant'));
    writeFileSync(join(other, 'plant', 'twin.json'), 'theirs');
    const { dir, call } = await serve({ twinsDirs: [other] });
    expect((await call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin(), files: {} })).status).toBe(409);
    expect((await call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin(), overwrite: true })).status).toBe(409);
    expect(existsSync(join(dir, 'plant'))).toBe(false);
  });

  it('refuses a cross-origin request and one without an Origin', async () => {
    const { call } = await serve();
    const body = { twinJson: twin(), files: {} };
    expect((await call('PUT', '/api/editor/v1/twins/plant', body, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await call('PUT', '/api/editor/v1/twins/plant', body, { origin: '' })).status).toBe(403);
  });

  it('refuses a body over the limit with 413', async () => {
    const { call } = await serve({ maxBytes: 1000 });
    const res = await call('PUT', '/api/editor/v1/twins/plant', {
      twinJson: twin(),
      files: { 'a.glb': 'A'.repeat(2000) },
    });
    expect(res.status).toBe(413);
  });

  it('refuses saving when it is off, and other methods', async () => {
    const off = await serve({ dir: undefined });
    expect((await off.call('PUT', '/api/editor/v1/twins/plant', { twinJson: twin() })).status).toBe(403);
    const { call } = await serve();
    expect((await call('POST', '/api/editor/v1/twins/plant', { twinJson: twin() })).status).toBe(405);
    expect((await call('PUT', '/api/editor/v1/twins/plant', 'not json')).status).toBe(400);
  });
});

describe('request checks', () => {
  it('allows only loopback sockets, loopback Host names and the same Origin', () => {
    expect(refusal('127.0.0.1', '127.0.0.1:5173', 'http://127.0.0.1:5173')).toBeNull();
    expect(refusal('::1', 'localhost:5173', 'http://localhost:5173')).toBeNull();
    expect(refusal('10.0.0.5', '127.0.0.1:5173', 'http://127.0.0.1:5173')).toMatch(/this machine/);
    // DNS rebinding: a foreign host name resolving to 127.0.0.1.
    expect(refusal('127.0.0.1', 'evil.example:5173', 'http://evil.example:5173')).toMatch(/loopback/);
    expect(refusal('127.0.0.1', '127.0.0.1:5173', 'http://127.0.0.1:9999')).toMatch(/same origin/);
    expect(refusal('127.0.0.1', '127.0.0.1:5173', undefined)).toMatch(/same origin/);
  });

  it('folder names are one plain segment', () => {
    expect(folderProblem('pump-station')).toBeNull();
    expect(folderProblem('north_2.v1')).toBeNull();
    for (const bad of ['', '..', '.git', 'a/b', 'a b', '-x', 'x'.repeat(101)])
      expect(folderProblem(bad)).not.toBeNull();
  });

  it('file paths are relative, "/"-separated and stay in the folder', () => {
    expect(filePathProblem('pump.glb')).toBeNull();
    expect(filePathProblem('textures/Pump Body (1).png')).toBeNull();
    for (const bad of ['', '../a', 'a//b', '/a', 'a/./b', 'C:/a', 'a\\b', '.env', 'twin.json'])
      expect(filePathProblem(bad)).not.toBeNull();
  });
});
