import { describe, expect, it } from 'vitest';
import { Document, WebIO, type Node as GltfNode } from '@gltf-transform/core';
import { KHRLightsPunctual } from '@gltf-transform/extensions';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { Object3D } from 'three';
import { findNode, registerAsset, writtenName } from '../scene/sceneRegistry';
import {
  closestNames,
  modelTree,
  nodeReferenceProblems,
  nodesReached,
  shortestPath,
  type ModelFile,
  type ModelNode,
  type ModelTree,
} from './modelNodes';
import { validateTwin } from './validate';
import { parseNodePath } from '../scene/nodeNames';
import type { Twin, TwinInput } from './schema';

/**
 * A plant as exporters write it, built in code: dotted, spaced and repeated names, a "/" in a name,
 * a node named like the scene, a camera and a light named like nodes, and a skin whose joint is
 * named (and so numbered by three.js) before its place in the tree.
 *
 * Scene "Scene":
 *   Arm (skin: joints Bolt [the last node]) > Bolt
 *   Frame_A > Bolt, Plate > Bolt
 *   Frame_B > Bolt
 *   Motor.001 (a mesh)      Pump 1 > Motor.001
 *   Part 1/2    Scene    Cam (camera "Cam")    Sun (light "Sun")    Object_3 > Bolt (the joint)
 */
function plant(): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc
    .createAccessor('corner')
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setBuffer(buffer);
  const mesh = doc.createMesh('MotorMesh').addPrimitive(doc.createPrimitive().setAttribute('POSITION', position));
  const node = (name: string, ...children: GltfNode[]) => {
    const n = doc.createNode(name);
    for (const c of children) n.addChild(c);
    return n;
  };
  const joint = node('Bolt');
  const arm = node('Arm', node('Bolt')).setSkin(doc.createSkin('ArmSkin').addJoint(joint));
  const lights = doc.createExtension(KHRLightsPunctual);
  doc
    .createScene('Scene')
    .addChild(arm)
    .addChild(node('Frame_A', node('Bolt'), node('Plate', node('Bolt'))))
    .addChild(node('Frame_B', node('Bolt')))
    .addChild(node('Motor.001').setMesh(mesh))
    .addChild(node('Pump 1', node('Motor.001').setMesh(mesh)))
    .addChild(node('Part 1/2'))
    .addChild(node('Scene'))
    .addChild(node('Cam').setCamera(doc.createCamera('Cam').setType('perspective').setYFov(0.8).setZNear(0.1)))
    .addChild(node('Sun').setExtension('KHR_lights_punctual', lights.createLight('Sun').setType('point')))
    .addChild(node('Object_3', joint));
  return doc;
}

async function treeOf(doc: Document): Promise<ModelTree> {
  const io = new WebIO().registerExtensions([KHRLightsPunctual]);
  const json = await io.binaryToJSON(await io.writeBinary(doc));
  const result = modelTree(json.json);
  if (!result.ok) throw new Error(result.error);
  return result.tree;
}

/** What three.js's GLTFLoader makes of the same file: [written, loaded] for every named node, depth first. */
async function loaderNames(doc: Document): Promise<[string, string][]> {
  const glb = await new WebIO().registerExtensions([KHRLightsPunctual]).writeBinary(doc);
  const gltf = await new GLTFLoader().parseAsync(glb.slice().buffer, '');
  const out: [string, string][] = [];
  gltf.scene.traverse((o: Object3D) => {
    if (typeof o.userData.name === 'string') out.push([o.userData.name, o.name]);
  });
  return out;
}

describe('modelTree', () => {
  it('gives every node the name three.js’s GLTFLoader gives it, repeats and skin joints included', async () => {
    const tree = await treeOf(plant());
    const ours = tree.nodes.filter((n) => n.written !== '').map((n) => [n.written, n.loaded]);
    expect(ours).toEqual(await loaderNames(plant()));
    // The cases that make it worth simulating, spelled out:
    expect(ours).toContainEqual(['Scene', 'Scene_1']);
    expect(ours).toContainEqual(['Pump 1', 'Pump_1']);
    expect(ours).toContainEqual(['Part 1/2', 'Part_12']);
    expect(ours.filter(([w]) => w === 'Bolt').map(([, l]) => l)).toEqual([
      'Bolt',
      'Bolt_2',
      'Bolt_3',
      'Bolt_4',
      'Bolt_1', // the skin's joint, numbered when the skinned Arm was loaded
    ]);
  });

  it('reports a node graph that is not a tree, rather than looping', () => {
    const json = {
      scenes: [{ nodes: [0] }],
      nodes: [
        { name: 'A', children: [1] },
        { name: 'B', children: [0] },
      ],
    };
    expect(modelTree(json)).toEqual({ ok: false, error: 'node 0 is its own ancestor' });
    expect(modelTree({ scenes: [{ nodes: [4] }], nodes: [] })).toEqual({
      ok: false,
      error: 'a scene names node 4, which the file does not have',
    });
    expect(modelTree('x')).toEqual({ ok: false, error: 'the glTF JSON is not an object' });
  });

  it('reads only the default scene', () => {
    const json = {
      scene: 1,
      scenes: [{ nodes: [0] }, { nodes: [1] }],
      nodes: [{ name: 'Elsewhere' }, { name: 'Here' }],
    };
    const result = modelTree(json);
    expect(result.ok && result.tree.nodes.map((n) => n.written)).toEqual(['Here']);
  });
});

describe('paths into a model', () => {
  it('reach dotted, spaced and repeated names as written, with ancestors telling repeats apart', async () => {
    const tree = await treeOf(plant());
    const reached = (...names: string[]) => nodesReached(tree, names).map((n) => shortestPath(tree, n));
    expect(reached('Pump 1', 'Motor.001')).toEqual(['Pump 1/Motor.001']);
    expect(reached('Part 1/2')).toEqual(['Part 1\\/2']);
    // Ancestors need not be direct parents ...
    expect(reached('Frame_A', 'Plate', 'Bolt')).toEqual(['Plate/Bolt']);
    expect(reached('Object_3', 'Bolt')).toEqual(['Object_3/Bolt']);
    // ... but of several nodes a path reaches, the one it spells out most completely wins:
    // Frame_A's own Bolt over the one inside Plate, the top-level Motor.001 over Pump 1's.
    expect(reached('Frame_A', 'Bolt')).toEqual(['Frame_A/Bolt']);
    expect(reached('Motor.001')).toEqual(['Motor.001']);
    // Equally complete: ambiguous.
    expect(reached('Bolt')).toEqual(['Arm/Bolt', 'Frame_A/Bolt', 'Frame_B/Bolt', 'Object_3/Bolt']);
    // three.js's names reach the same nodes, so twins written with them keep working.
    expect(reached('Pump_1', 'Motor001_1')).toEqual(['Pump 1/Motor.001']);
    expect(reached('Bolt_1')).toEqual(['Object_3/Bolt']);
  });

  it('reach the same nodes in the scene (findNode on the model three.js loaded) as in the file', async () => {
    const tree = await treeOf(plant());
    const glb = await new WebIO().registerExtensions([KHRLightsPunctual]).writeBinary(plant());
    const { scene } = await new GLTFLoader().parseAsync(glb.slice().buffer, '');
    const unregister = registerAsset('plant', scene);
    try {
      // A node's address in both: its written name and those of its named ancestors, from the top.
      const address = (names: string[]) => names.join(' > ');
      const sceneSide = (o: Object3D) => {
        const names: string[] = [];
        for (let p: Object3D | null = o; p && p !== scene; p = p.parent) names.unshift(writtenName(p));
        return address(names);
      };
      const fileSide = (n: ModelNode) => {
        const names: string[] = [];
        for (let p: ModelNode | null = n; p; p = p.parent) names.unshift(p.written);
        return address(names);
      };
      const paths = ['Bolt', 'Frame_A/Bolt', 'Plate/Bolt', 'Motor.001', 'Pump 1/Motor.001', 'Part 1\\/2', 'Bolt_1'];
      for (const path of paths) {
        const found = findNode(`plant/${path}`);
        const parsed = parseNodePath(`plant/${path}`);
        const inFile = parsed.ok ? nodesReached(tree, parsed.names)[0] : undefined;
        expect(found.ok && sceneSide(found.node), path).toBe(inFile && fileSide(inFile));
      }
    } finally {
      unregister();
    }
  });

  it('orders the names a model has closest first', () => {
    expect(closestNames('Motor.003', ['Tank', 'Pump 1', 'Motor.001', 'motor_003']).slice(0, 2)).toEqual([
      'motor_003',
      'Motor.001',
    ]);
    expect(closestNames('Pump', ['Tank', 'Valve', 'Pump 1'])[0]).toBe('Pump 1');
  });
});

function twin(extra: Partial<TwinInput>): Twin {
  const doc: TwinInput = {
    id: 't',
    title: 'T',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['plant/#'] },
    assets: [
      { id: 'plant', model: 'plant.glb' },
      {
        id: 'field',
        model: 'panel.glb',
        instances: { rows: 2, columns: 3, spacing: [1, 1], key: 'r{row}c{column}', colorNode: 'Panel.Surface' },
      },
    ],
    signals: [{ id: 'temp', topic: 'plant/temp', path: 'v' }],
    ...extra,
  };
  const result = validateTwin(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.twin;
}

describe('nodeReferenceProblems', () => {
  const panel: ModelFile = {
    ok: true,
    tree: (() => {
      const result = modelTree({
        scenes: [{ nodes: [0] }],
        nodes: [{ name: 'Panel', children: [1] }, { name: 'Panel.Surface' }],
      });
      if (!result.ok) throw new Error(result.error);
      return result.tree;
    })(),
  };
  const models = async (): Promise<Map<string, ModelFile>> =>
    new Map([
      ['plant.glb', { ok: true, tree: await treeOf(plant()) }],
      ['panel.glb', panel],
    ]);
  const bind = (node: string) => ({ signal: 'temp', node, effect: { kind: 'visible' as const } });

  it('accepts names as written, as three.js renames them, with ancestors, and with an escaped "/"', async () => {
    const t = twin({
      bindings: [
        bind('plant/Pump 1/Motor.001'),
        bind('plant/Motor001'),
        bind('plant/Part 1\\/2'),
        bind('plant/Frame_B/Bolt'),
      ],
      rules: [{ id: 'r', when: 'temp > 1', message: 'hot', asset: 'plant/Plate/Bolt' }],
      commands: [{ id: 'c', label: 'C', topic: 'plant/cmd', payload: 'go', node: 'plant/Scene' }],
    });
    expect(nodeReferenceProblems(t, await models())).toEqual([]);
  });

  it('names what the model has, closest first, for a name it lacks', async () => {
    const problems = nodeReferenceProblems(twin({ bindings: [bind('plant/Motor.003')] }), await models());
    expect(problems).toEqual([
      {
        path: '$.bindings[0].node',
        message: expect.stringMatching(/^no node "Motor\.003" in plant\.glb; it has: "Motor\.001", /),
      },
    ]);
  });

  it('says where a name is when the ancestors given do not hold it', async () => {
    const problems = nodeReferenceProblems(twin({ bindings: [bind('plant/Frame_C/Bolt')] }), await models());
    expect(problems[0].message).toBe(
      'no "Bolt" below "Frame_C" in plant.glb; "Bolt" is at "plant/Arm/Bolt", "plant/Frame_A/Bolt", ' +
        '"plant/Plate/Bolt", "plant/Frame_B/Bolt" (and 1 more)',
    );
  });

  it('reports a path several nodes answer to, with paths that tell them apart', async () => {
    const problems = nodeReferenceProblems(
      twin({ rules: [{ id: 'r', when: 'temp > 1', message: 'hot', asset: 'plant/Bolt' }] }),
      await models(),
    );
    expect(problems).toEqual([
      {
        path: '$.rules[0].asset',
        message:
          '"Bolt" names 4 nodes in plant.glb ("Arm/Bolt", "Frame_A/Bolt", "Frame_B/Bolt", "Object_3/Bolt"); ' +
          'the scene would take the first: name an ancestor that tells them apart, e.g. "plant/Frame_A/Bolt"',
      },
    ]);
  });

  it('checks instance keys of an instanced asset and its colorNode', async () => {
    const t = twin({
      rules: [
        { id: 'ok', when: 'temp > 1', message: 'hot', asset: 'field/r1c2' },
        { id: 'off', when: 'temp > 1', message: 'hot', asset: 'field/r2c0' },
      ],
    });
    expect(nodeReferenceProblems(t, await models())).toEqual([
      {
        path: '$.rules[1].asset',
        message: '"r2c0" is not an instance of "field" (keys "r{row}c{column}" with row 0..1, column 0..2)',
      },
    ]);
    const wrongColour = structuredClone(t);
    wrongColour.assets[1].instances!.colorNode = 'Surface';
    expect(nodeReferenceProblems(wrongColour, await models())[0]).toEqual({
      path: '$.assets[1].instances.colorNode',
      message: 'no node "Surface" in panel.glb; it has: "Panel.Surface", "Panel"',
    });
  });

  it('reports an unreadable model once, at the asset, and checks no path into it', async () => {
    const broken = new Map<string, ModelFile>([
      ['plant.glb', { ok: false, error: 'no such file' }],
      ['panel.glb', panel],
    ]);
    expect(nodeReferenceProblems(twin({ bindings: [bind('plant/Nothing')] }), broken)).toEqual([
      { path: '$.assets[0].model', message: 'cannot read plant.glb: no such file' },
    ]);
  });
});
