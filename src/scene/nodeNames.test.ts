import { describe, expect, it } from 'vitest';
import {
  isGeneratedName,
  LoaderNames,
  nameMatches,
  nodePathSegment,
  parseNodePath,
  pathReaches,
  sanitizeNodeName,
  type NodeNaming,
} from './nodeNames';

describe('isGeneratedName', () => {
  it('takes exporters’ default names for names nobody chose', () => {
    for (const name of ['', '  ', 'Object_12', 'mesh_0', 'Cube.001', 'Cube', 'Group 3', 'Empty.002', 'RootNode'])
      expect(isGeneratedName(name), name).toBe(true);
    for (const name of ['Sketchfab_model', 'GLTF_SceneRootNode', 'node_7', 'Body1', '12', '0.3'])
      expect(isGeneratedName(name), name).toBe(true);
    expect(isGeneratedName('3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(true);
  });

  it('keeps names a person gave, dotted, numbered or repeated', () => {
    for (const name of ['Pump1', 'Valve.001', 'Bolt', 'Pump1_Motor', 'Objective', 'Cube shelf', 'Tank 2', 'Meshroom'])
      expect(isGeneratedName(name), name).toBe(false);
  });
});

describe('parseNodePath', () => {
  it('splits the asset from the names, keeping dots and spaces as written', () => {
    expect(parseNodePath('plant/Pump 1/Motor.001')).toEqual({
      ok: true,
      asset: 'plant',
      names: ['Pump 1', 'Motor.001'],
    });
  });

  it('reads "\\/" as a slash inside a name and "\\\\" as a backslash; other backslashes stay', () => {
    expect(parseNodePath('plant/Frame\\/A/Bolt')).toEqual({ ok: true, asset: 'plant', names: ['Frame/A', 'Bolt'] });
    expect(parseNodePath('plant/C:\\\\parts\\x')).toEqual({ ok: true, asset: 'plant', names: ['C:\\parts\\x'] });
  });

  it('takes an asset alone as the whole asset, and refuses empty names', () => {
    expect(parseNodePath('station')).toEqual({ ok: true, asset: 'station', names: [] });
    expect(parseNodePath('plant//Bolt')).toEqual({ ok: false, error: expect.stringContaining('empty node name') });
    expect(parseNodePath('plant/Bolt/')).toEqual({ ok: false, error: expect.stringContaining('empty node name') });
    expect(parseNodePath('/Bolt').ok).toBe(false);
  });

  it('reads back what nodePathSegment writes', () => {
    for (const name of ['Part 1/2', 'a\\b', 'x\\/y', 'Valve.001']) {
      expect(parseNodePath(`a/${nodePathSegment(name)}`)).toEqual({ ok: true, asset: 'a', names: [name] });
    }
  });
});

describe('three.js names', () => {
  it('sanitizes as PropertyBinding does: spaces to "_", dots, colons, brackets and slashes dropped', () => {
    expect(sanitizeNodeName('Pump 1.001')).toBe('Pump_1001');
    expect(sanitizeNodeName('Frame/A [left]:x')).toBe('FrameA_leftx');
  });

  it('numbers repeats as the loader does, counting per sanitized name', () => {
    const names = new LoaderNames();
    expect(['Bolt', 'Bolt', 'Valve.001', 'Valve001', 'Bolt'].map((n) => names.unique(n))).toEqual([
      'Bolt',
      'Bolt_1',
      'Valve001',
      'Valve001_1',
      'Bolt_2',
    ]);
  });
});

describe('pathReaches', () => {
  interface N {
    written: string;
    loaded: string;
    parent: N | null;
  }
  const naming: NodeNaming<N> = { written: (n) => n.written, loaded: (n) => n.loaded, parent: (n) => n.parent };
  const root: N = { written: '', loaded: 'Scene', parent: null };
  const frameA: N = { written: 'Frame_A', loaded: 'Frame_A', parent: root };
  const plate: N = { written: 'Plate', loaded: 'Plate', parent: frameA };
  const bolt: N = { written: 'Bolt', loaded: 'Bolt_1', parent: plate };

  it('matches the last name as written or as three.js renamed it', () => {
    expect(pathReaches(bolt, ['Bolt'], root, naming)).toBe(true);
    expect(pathReaches(bolt, ['Bolt_1'], root, naming)).toBe(true);
    expect(pathReaches(bolt, ['Bolt_2'], root, naming)).toBe(false);
  });

  it('takes earlier names as ancestors in order, not necessarily direct parents', () => {
    expect(pathReaches(bolt, ['Frame_A', 'Bolt'], root, naming)).toBe(true);
    expect(pathReaches(bolt, ['Frame_A', 'Plate', 'Bolt'], root, naming)).toBe(true);
    expect(pathReaches(bolt, ['Plate', 'Frame_A', 'Bolt'], root, naming)).toBe(false);
    expect(pathReaches(bolt, ['Frame_B', 'Bolt'], root, naming)).toBe(false);
  });

  it('never matches an empty name', () => {
    expect(nameMatches('', '', '')).toBe(false);
    expect(pathReaches(bolt, [], root, naming)).toBe(false);
  });
});
