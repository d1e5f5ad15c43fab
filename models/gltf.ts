/**
 * Turns MeshData into a glTF document with the conventions the app relies on:
 * - every node name is unique and made of letters, digits and underscores (three.js renames
 *   duplicates and strips other characters, which would break "<asset>/<node>" bindings);
 * - mesh and scene names never equal a node name (GLTFLoader draws all of them from one pool);
 * - every part gets its own material, so recolouring one node can never tint another;
 * - geometry built once and used by several parts is stored once (shared accessors).
 */
import { Document, NodeIO, type Accessor, type Node, type Scene } from '@gltf-transform/core';
import { misfacingTriangles, vertexCount, type MeshData, type Vec3 } from './geometry';

export interface Finish {
  /** sRGB colour as '#rrggbb'; stored linear, as glTF requires. */
  color: string;
  metallic: number;
  roughness: number;
  /** Below 1 makes the material alpha-blended. */
  alpha?: number;
  doubleSided?: boolean;
}

export interface PlaceOptions {
  parent?: Node;
  translation?: Vec3;
}

const NAME = /^[A-Za-z0-9_]+$/;

export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

export function hexToLinear(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`bad colour ${hex}`);
  // Rounded so that the stored JSON stays short and stable.
  const channel = (h: string) => Math.round(srgbToLinear(parseInt(h, 16) / 255) * 1e4) / 1e4;
  return [channel(m[1]), channel(m[2]), channel(m[3])];
}

interface GeometryAccessors {
  position: Accessor;
  normal: Accessor;
  indices: Accessor;
}

export class ModelBuilder {
  readonly document = new Document();
  private readonly buffer = this.document.createBuffer();
  private readonly scene: Scene;
  private readonly names = new Set<string>();
  private readonly geometry = new Map<MeshData, GeometryAccessors>();

  constructor(sceneName: string) {
    // A fixed generator string: the committed files then change only when the geometry does.
    this.document.getRoot().getAsset().generator = 'Twinview models/build.ts';
    this.scene = this.document.createScene(this.claim(sceneName));
    this.document.getRoot().setDefaultScene(this.scene);
  }

  /** An empty node that holds parts: what rules and selection address as a whole (Pump1, Tank1). */
  group(name: string, options: PlaceOptions = {}): Node {
    const node = this.document.createNode(this.claim(name));
    if (options.translation) node.setTranslation([...options.translation]);
    if (options.parent) options.parent.addChild(node);
    else this.scene.addChild(node);
    return node;
  }

  /** A node with one mesh and its own material. */
  part(name: string, geometry: MeshData, finish: Finish, options: PlaceOptions = {}): Node {
    const misfacing = misfacingTriangles(geometry).length;
    if (misfacing > 0) throw new Error(`${name}: ${misfacing} triangles face against their normals`);
    const node = this.group(name, options);
    const [r, g, b] = hexToLinear(finish.color);
    const alpha = finish.alpha ?? 1;
    const material = this.document
      .createMaterial(this.claim(`${name}_Material`))
      .setBaseColorFactor([r, g, b, alpha])
      .setMetallicFactor(finish.metallic)
      .setRoughnessFactor(finish.roughness)
      .setDoubleSided(finish.doubleSided ?? false);
    if (alpha < 1) material.setAlphaMode('BLEND');
    const accessors = this.accessorsFor(geometry);
    const primitive = this.document
      .createPrimitive()
      .setAttribute('POSITION', accessors.position)
      .setAttribute('NORMAL', accessors.normal)
      .setIndices(accessors.indices)
      .setMaterial(material);
    node.setMesh(this.document.createMesh(this.claim(`${name}_Mesh`)).addPrimitive(primitive));
    return node;
  }

  private accessorsFor(geometry: MeshData): GeometryAccessors {
    const cached = this.geometry.get(geometry);
    if (cached) return cached;
    const n = vertexCount(geometry);
    const accessor = (type: 'VEC3' | 'SCALAR', array: Float32Array | Uint16Array | Uint32Array) =>
      this.document.createAccessor().setType(type).setArray(array).setBuffer(this.buffer);
    const accessors = {
      position: accessor('VEC3', new Float32Array(geometry.positions)),
      normal: accessor('VEC3', new Float32Array(geometry.normals)),
      indices: accessor('SCALAR', n <= 0xffff ? new Uint16Array(geometry.indices) : new Uint32Array(geometry.indices)),
    };
    this.geometry.set(geometry, accessors);
    return accessors;
  }

  private claim(name: string): string {
    if (!NAME.test(name)) throw new Error(`name "${name}" must be letters, digits and underscores only`);
    if (this.names.has(name)) throw new Error(`name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }
}

export interface ModelStats {
  nodes: number;
  meshes: number;
  materials: number;
  /** Triangles drawn: a mesh used by two nodes counts twice. */
  triangles: number;
}

export function modelStats(document: Document): ModelStats {
  const root = document.getRoot();
  let triangles = 0;
  for (const node of root.listNodes()) {
    for (const primitive of node.getMesh()?.listPrimitives() ?? []) {
      const indices = primitive.getIndices();
      triangles += (indices ? indices.getCount() : (primitive.getAttribute('POSITION')?.getCount() ?? 0)) / 3;
    }
  }
  return {
    nodes: root.listNodes().length,
    meshes: root.listMeshes().length,
    materials: root.listMaterials().length,
    triangles,
  };
}

export function writeGlb(document: Document): Promise<Uint8Array> {
  return new NodeIO().writeBinary(document);
}
