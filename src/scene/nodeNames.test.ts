import { describe, expect, it } from 'vitest';
import { isGeneratedName } from './nodeNames';

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
