import { describe, expect, it } from 'vitest';
import { Document, WebIO } from '@gltf-transform/core';
import { assetIdFor, externalFiles, readModelJson, sortDrop, withFileUrls, type DroppedFile } from './modelFiles';

const text = (s: string) => new TextEncoder().encode(s);

function modelDocument(): Document {
  const doc = new Document();
  const buffer = doc.createBuffer().setURI('pump.bin');
  const position = doc
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setBuffer(buffer);
  const mesh = doc.createMesh('PumpMesh').addPrimitive(doc.createPrimitive().setAttribute('POSITION', position));
  doc.createScene('Scene').addChild(doc.createNode('Pump 1').setMesh(mesh));
  return doc;
}

async function glb(): Promise<Uint8Array> {
  return new WebIO().writeBinary(modelDocument());
}

/** A .gltf and its .bin as an exporter writes them side by side. */
async function gltfPair(): Promise<DroppedFile[]> {
  const { json, resources } = await new WebIO().writeJSON(modelDocument());
  return [
    { name: 'pump.gltf', bytes: text(JSON.stringify(json)) },
    ...Object.entries(resources).map(([name, bytes]) => ({ name, bytes })),
  ];
}

describe('readModelJson', () => {
  it('reads the JSON chunk of a GLB', async () => {
    const read = readModelJson('pump.glb', await glb());
    expect(read.ok).toBe(true);
    if (read.ok) expect((read.json as { nodes: { name: string }[] }).nodes[0].name).toBe('Pump 1');
  });

  it('says why a file that is not a GLB cannot be read', () => {
    expect(readModelJson('pump.glb', text('hello, this is not a model at all'))).toEqual({
      ok: false,
      error: 'not a GLB file (no "glTF" header)',
    });
  });

  it('names a truncated GLB as truncated', async () => {
    const bytes = await glb();
    const read = readModelJson('pump.glb', bytes.subarray(0, 30));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(/truncated/);
  });

  it('gives the parse error of a .gltf whose JSON is broken', () => {
    const read = readModelJson('pump.gltf', text('{"asset": {"version": "2.0"'));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(/^its JSON does not parse: /);
  });

  it('refuses glTF 1.0', () => {
    expect(readModelJson('old.gltf', text('{"asset": {"version": "1.0"}}'))).toEqual({
      ok: false,
      error: 'glTF version "1.0"; only glTF 2.0 is supported',
    });
  });
});

describe('externalFiles', () => {
  it('lists buffer and image URIs decoded, without embedded data', () => {
    expect(
      externalFiles({
        buffers: [{ uri: 'pump%20body.bin' }, { uri: 'data:application/octet-stream;base64,AAAA' }],
        images: [{ uri: 'textures/rust.png' }, { bufferView: 0 }],
      }),
    ).toEqual(['pump body.bin', 'textures/rust.png']);
  });
});

describe('sortDrop', () => {
  it('takes a GLB on its own', async () => {
    const result = sortDrop([{ name: 'pump.glb', bytes: await glb() }]);
    expect(result.models.map((m) => m.path)).toEqual(['pump.glb']);
    expect(result.files).toEqual([{ path: 'pump.glb', source: 'pump.glb' }]);
    expect(result.rejected).toEqual([]);
  });

  it('takes a .gltf with the .bin dropped beside it', async () => {
    const result = sortDrop(await gltfPair());
    expect(result.models.map((m) => m.path)).toEqual(['pump.gltf']);
    expect(result.files.map((f) => f.path)).toEqual(['pump.gltf', 'pump.bin']);
    expect(result.rejected).toEqual([]);
  });

  it('names the missing file of a .gltf dropped without its .bin, and adds nothing of it', async () => {
    const [gltf] = await gltfPair();
    const result = sortDrop([gltf]);
    expect(result.models).toEqual([]);
    expect(result.files).toEqual([]);
    expect(result.rejected).toEqual([
      { file: 'pump.gltf', reason: 'it needs pump.bin, which was not dropped with it' },
    ]);
  });

  it('accepts a .gltf whose .bin is already in the draft', async () => {
    const [gltf] = await gltfPair();
    expect(sortDrop([gltf], ['pump.bin']).models.map((m) => m.path)).toEqual(['pump.gltf']);
  });

  it('matches a texture in a subfolder by its file name and keeps the path the model names', () => {
    const json = { asset: { version: '2.0' }, images: [{ uri: 'textures/rust.png' }] };
    const result = sortDrop([
      { name: 'tank.gltf', bytes: text(JSON.stringify(json)) },
      { name: 'rust.png', bytes: new Uint8Array([1, 2, 3]) },
    ]);
    expect(result.files).toEqual([
      { path: 'tank.gltf', source: 'tank.gltf' },
      { path: 'textures/rust.png', source: 'rust.png' },
    ]);
  });

  it('refuses a .gltf that names a file outside its folder', () => {
    const json = { asset: { version: '2.0' }, buffers: [{ uri: '../../etc/passwd' }] };
    const result = sortDrop([{ name: 'evil.gltf', bytes: text(JSON.stringify(json)) }]);
    expect(result.models).toEqual([]);
    expect(result.rejected[0].reason).toBe('it names files outside its folder: ../../etc/passwd');
  });

  it('does not add a broken model, and says so, while a good one beside it is added', async () => {
    const result = sortDrop([
      { name: 'broken.glb', bytes: text('not a model') },
      { name: 'pump.glb', bytes: await glb() },
    ]);
    expect(result.models.map((m) => m.path)).toEqual(['pump.glb']);
    expect(result.rejected).toEqual([{ file: 'broken.glb', reason: 'not a GLB file (no "glTF" header)' }]);
  });

  it('does not add files no dropped model names', () => {
    expect(sortDrop([{ name: 'notes.txt', bytes: text('x') }]).rejected).toEqual([
      { file: 'notes.txt', reason: 'no model dropped with it names this file' },
    ]);
  });
});

describe('assetIdFor', () => {
  it('makes an id of the schema characters from a file name', () => {
    expect(assetIdFor('Pump Station (v2).glb', [])).toBe('Pump-Station-v2');
    expect(assetIdFor('Motor.001.gltf', [])).toBe('Motor.001');
  });

  it('falls back to "model" for a name with no usable character', () => {
    expect(assetIdFor('Ölpumpe💧.glb', ['model'])).toBe('lpumpe');
    expect(assetIdFor('💧.glb', [])).toBe('model');
  });

  it('is unique among the ids taken', () => {
    expect(assetIdFor('pump.glb', ['pump', 'pump-2'])).toBe('pump-3');
  });
});

describe('withFileUrls', () => {
  it('replaces the URIs it has URLs for and keeps the rest, without changing the input', () => {
    const json = {
      asset: { version: '2.0' },
      buffers: [{ uri: 'pump.bin', byteLength: 4 }],
      images: [{ uri: 'a.png' }],
    };
    const out = withFileUrls(json, (p) => (p === 'pump.bin' ? 'blob:x/1' : null));
    expect(out).toEqual({
      asset: { version: '2.0' },
      buffers: [{ uri: 'blob:x/1', byteLength: 4 }],
      images: [{ uri: 'a.png' }],
    });
    expect(json.buffers[0].uri).toBe('pump.bin');
  });
});
