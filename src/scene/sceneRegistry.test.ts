import { afterEach, describe, expect, it } from 'vitest';
import { Box3, DirectionalLight, Group, Mesh, Object3D, PerspectiveCamera, Vector3 } from 'three';
import { skinnedArm } from './skinnedArm.testing';
import {
  boundsOf,
  equipmentPathOf,
  equipmentTree,
  findNode,
  pickedPath,
  registerAsset,
  setMarkedPaths,
  writtenName,
} from './sceneRegistry';

/** A node as three's GLTFLoader makes it: renamed ("Valve001", "Bolt_1"), the written name kept in userData. */
function node<T extends Object3D>(o: T, written: string | null, loaded = written ?? ''): T {
  o.name = loaded;
  if (written !== null) o.userData.name = written;
  return o;
}

/**
 * site
 *   Pumps (group)
 *     Pump1: Pump1_Motor (mesh), Object_3 (mesh, generated name)
 *   FlangeA: Bolt (mesh)      FlangeB: Bolt (mesh, loaded as Bolt_1)
 *   Valve.001 (mesh, loaded as Valve001)
 *   (unnamed group): Tank (mesh)
 *   Camera, Sun (light), Empty helper (named, nothing below), Object_9 (mesh)
 */
function model() {
  const root = node(new Group(), null, 'site');
  const pumps = node(new Group(), 'Pumps');
  const pump1 = node(new Group(), 'Pump1');
  const motor = node(new Mesh(), 'Pump1_Motor');
  const generated = node(new Mesh(), 'Object_3');
  pump1.add(motor, generated);
  pumps.add(pump1);
  const flangeA = node(new Group(), 'FlangeA').add(node(new Mesh(), 'Bolt'));
  const boltB = node(new Mesh(), 'Bolt', 'Bolt_1');
  const flangeB = node(new Group(), 'FlangeB').add(boltB);
  const valve = node(new Mesh(), 'Valve.001', 'Valve001');
  const tank = node(new Mesh(), 'Tank');
  const wrapper = node(new Group(), null).add(tank);
  const loose = node(new Mesh(), 'Object_9');
  root.add(pumps, flangeA, flangeB, valve, wrapper);
  root.add(node(new PerspectiveCamera(), 'Camera'), node(new DirectionalLight(), 'Sun'), node(new Group(), 'Helper'));
  root.add(loose);
  return { root, motor, generated, boltB, valve, tank, loose, unregister: registerAsset('site', root) };
}

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((c) => c());
  cleanup = [];
});

describe('findNode', () => {
  it('finds a node by its name as written in the glTF as well as by three’s renamed one', () => {
    const m = model();
    cleanup.push(m.unregister);
    expect(findNode('site/Valve.001')).toEqual({ ok: true, node: m.valve });
    expect(findNode('site/Valve001')).toEqual({ ok: true, node: m.valve });
    expect(writtenName(m.valve)).toBe('Valve.001');
  });

  it('tells repeated names apart by an ancestor', () => {
    const m = model();
    cleanup.push(m.unregister);
    expect(findNode('site/FlangeB/Bolt')).toEqual({ ok: true, node: m.boltB });
    expect(findNode('site/Bolt_1')).toEqual({ ok: true, node: m.boltB });
    const first = findNode('site/Bolt');
    expect(first.ok && first.node !== m.boltB).toBe(true);
  });

  it('lists every written name of the model when a node is missing', () => {
    const m = model();
    cleanup.push(m.unregister);
    const missing = findNode('site/Nope');
    expect(missing.ok).toBe(false);
    if (!missing.ok && missing.reason === 'no-node') {
      expect(missing.names).toContain('Valve.001');
      expect(missing.names.filter((n) => n === 'Bolt')).toHaveLength(1);
      expect(missing.names).toHaveLength(13);
    }
  });
});

describe('picking', () => {
  it('selects the nearest node with a name of its own, not the model’s top-level group', () => {
    const m = model();
    cleanup.push(m.unregister);
    expect(equipmentPathOf(m.motor)).toBe('site/Pump1_Motor');
    // A generated name is skipped: the part belongs to the pump.
    expect(equipmentPathOf(m.generated)).toBe('site/Pump1');
    expect(equipmentPathOf(m.valve)).toBe('site/Valve.001');
    expect(equipmentPathOf(m.tank)).toBe('site/Tank');
    // Nothing named above it: the asset itself.
    expect(equipmentPathOf(m.loose)).toBe('site');
    expect(equipmentPathOf(new Mesh())).toBeNull();
  });

  it('names a repeated name with the ancestor that tells it apart', () => {
    const m = model();
    cleanup.push(m.unregister);
    expect(equipmentPathOf(m.boltB)).toBe('site/FlangeB/Bolt');
    expect(findNode(equipmentPathOf(m.boltB)!)).toEqual({ ok: true, node: m.boltB });
  });

  it('selects a node the twin binds or gives a rule, by the twin’s own path, whatever its name', () => {
    const m = model();
    cleanup.push(m.unregister, setMarkedPaths(['site/Pump1/Object_3', 'site/Object_9']));
    expect(equipmentPathOf(m.generated)).toBe('site/Pump1/Object_3');
    expect(equipmentPathOf(m.loose)).toBe('site/Object_9');
  });

  it('names an instance of an instanced asset by its key', () => {
    const root = new Group();
    const grid = new Mesh();
    grid.userData.instanceKeys = ['r0c0', 'r0c1'];
    root.add(grid);
    cleanup.push(registerAsset('field', root));
    expect(pickedPath(grid, 1)).toBe('field/r0c1');
  });
});

describe('equipmentTree', () => {
  it('lists named parts nested under their equipment, without cameras, lights, empties or generated names', () => {
    const m = model();
    cleanup.push(m.unregister);
    expect(equipmentTree(['site', 'missing']).map((e) => `${'  '.repeat(e.depth)}${e.label} <${e.path}>`)).toEqual([
      'Pumps <site/Pumps>',
      '  Pump1 <site/Pump1>',
      '    Pump1_Motor <site/Pump1_Motor>',
      'FlangeA <site/FlangeA>',
      '  Bolt <site/FlangeA/Bolt>',
      'FlangeB <site/FlangeB>',
      '  Bolt <site/FlangeB/Bolt>',
      'Valve.001 <site/Valve.001>',
      'Tank <site/Tank>',
    ]);
    expect(equipmentTree(['site'])[2].parent).toBe('site/Pump1');
  });

  it('lists a bound node even with a generated name', () => {
    const m = model();
    cleanup.push(m.unregister, setMarkedPaths(['site/Object_9']));
    expect(equipmentTree(['site']).map((e) => e.path)).toContain('site/Object_9');
  });
});

describe('boundsOf a skinned part', () => {
  it('is where the skin is drawn now: placed before any frame, and bent after its bones moved', () => {
    const arm = skinnedArm();
    arm.root.position.x = 4;
    arm.root.updateMatrixWorld(true);
    const unregister = registerAsset('arm', arm.root);
    try {
      const box = new Box3();
      // Before any frame has updated the bone matrices (the asset just loaded).
      expect(boundsOf('arm/ArmSkin', box)).toBe(true);
      expect(box.getCenter(new Vector3()).x).toBeCloseTo(4, 1);
      expect(box.max.y).toBeCloseTo(2, 1);
      // The elbow turns a quarter: the forearm now points along x, and the box follows.
      arm.elbow.rotation.z = -Math.PI / 2;
      expect(boundsOf('arm/ArmSkin', box)).toBe(true);
      expect(box.max.y).toBeLessThan(1.5);
      expect(box.max.x).toBeGreaterThan(4.8);
    } finally {
      unregister();
    }
  });
});
