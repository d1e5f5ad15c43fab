import { describe, expect, it } from 'vitest';
import { modelTree } from '../twin/modelNodes';
import { nodeRows } from './nodeRows';

/** Nodes as an exporter writes them: dotted names, a repeated "Motor", an unnamed wrapper. */
const gltf = {
  asset: { version: '2.0' },
  scene: 0,
  scenes: [{ name: 'Scene', nodes: [0, 5] }],
  nodes: [
    { name: 'Skid', children: [1, 3] },
    { name: 'Pump.001', children: [2] },
    { name: 'Motor' },
    { name: 'Pump.002', children: [4] },
    { name: 'Motor' },
    { children: [6] },
    { name: 'Filter' },
  ],
};

describe('nodeRows', () => {
  it('lists the names as written, a repeated one with the path that tells it apart', () => {
    const tree = modelTree(gltf);
    if (!tree.ok) throw new Error(tree.error);
    expect(nodeRows('skid', tree.tree.nodes)).toEqual([
      { path: 'skid/Skid', label: 'Skid', detail: null, depth: 1 },
      { path: 'skid/Pump.001', label: 'Pump.001', detail: null, depth: 2 },
      { path: 'skid/Pump.001/Motor', label: 'Motor', detail: 'Pump.001/Motor', depth: 3 },
      { path: 'skid/Pump.002', label: 'Pump.002', detail: null, depth: 2 },
      { path: 'skid/Pump.002/Motor', label: 'Motor', detail: 'Pump.002/Motor', depth: 3 },
      // The unnamed wrapper is left out: its child is a top-level row.
      { path: 'skid/Filter', label: 'Filter', detail: null, depth: 1 },
    ]);
  });
});
