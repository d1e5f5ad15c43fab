import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'three/examples/jsm/libs/fflate.module.js';
import {
  fetchSaveStatus,
  largeModels,
  modelPaths,
  saveBody,
  saveFolder,
  saveToServer,
  shellQuote,
  zipTwin,
} from './saveTwin';
import { formatTwin } from './format';

const doc = { id: 'plant', title: 'Plant', connection: { url: 'ws://b:1', subscribe: ['#'] } };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

describe('saving the draft', () => {
  it('saves into the folder it was opened from, else the id', () => {
    expect(saveFolder('north', doc)).toBe('north');
    expect(saveFolder(null, doc)).toBe('plant');
    expect(saveFolder(null, {})).toBe('');
  });

  it('sends the formatted twin.json and the files in base64', async () => {
    const body = JSON.parse(await saveBody(doc, { 'a.glb': new Blob([new Uint8Array([0, 255, 10])]) }, true)) as {
      twinJson: string;
      files: Record<string, string>;
      overwrite: boolean;
    };
    expect(body.twinJson).toBe(formatTwin(doc));
    expect(Buffer.from(body.files['a.glb'], 'base64')).toEqual(Buffer.from([0, 255, 10]));
    expect(body.overwrite).toBe(true);
  });

  it('puts to the folder URL and reads the saved path', async () => {
    const { fn, calls } = fakeFetch(200, { ok: true, path: 'models/plant/twin.json', folder: 'plant' });
    expect(await saveToServer('plant', doc, {}, false, fn)).toEqual({
      ok: true,
      path: 'models/plant/twin.json',
      folder: 'plant',
    });
    expect(calls[0].url).toBe('/api/editor/v1/twins/plant');
    expect(calls[0].init?.method).toBe('PUT');
  });

  it('passes on a refusal with its reason and the problems', async () => {
    const { fn } = fakeFetch(400, { error: 'the twin has problems', problems: [{ path: '$.title', message: 'x' }] });
    expect(await saveToServer('plant', doc, {}, false, fn)).toEqual({
      ok: false,
      status: 400,
      error: 'the twin has problems',
      problems: [{ path: '$.title', message: 'x' }],
    });
  });

  it('a server without the editor API cannot save', async () => {
    expect(await fetchSaveStatus(fakeFetch(404, {}).fn)).toEqual({ save: false, dir: '' });
    expect(await fetchSaveStatus(fakeFetch(200, { save: true, dir: 'models' }).fn)).toEqual({
      save: true,
      dir: 'models',
    });
  });

  it('zips the twin folder: twin.json and the files under the folder name', async () => {
    const zip = await zipTwin('plant', doc, { 'models/a.glb': new Blob(['GLB']) });
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(['plant/models/a.glb', 'plant/twin.json']);
    expect(strFromU8(entries['plant/twin.json'])).toBe(formatTwin(doc));
    expect(strFromU8(entries['plant/models/a.glb'])).toBe('GLB');
  });

  it('lists the models of the assets once each', () => {
    expect(modelPaths({ assets: [{ model: 'a.glb' }, { model: 'a.glb' }, { model: 'b.gltf' }, {}] })).toEqual([
      'a.glb',
      'b.gltf',
    ]);
  });

  it('offers optimize for GLB files over the limit, with a command to copy', () => {
    const files = { 'big.glb': new Blob([new Uint8Array(20)]), 'small.glb': new Blob([new Uint8Array(5)]) };
    expect(largeModels(files, 'models', 'plant', 10)).toEqual([
      { path: 'big.glb', bytes: 20, command: 'npm run models -- optimize models/plant/big.glb models/plant/big.glb' },
    ]);
    expect(shellQuote("it's a.glb")).toBe(`'it'\\''s a.glb'`);
  });
});
