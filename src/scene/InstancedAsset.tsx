import { useEffect, useMemo } from 'react';
import { useGLTF } from '@react-three/drei';
import { useFrame, useThree } from '@react-three/fiber';
import {
  Box3,
  Color,
  DynamicDrawUsage,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  MathUtils,
  Matrix4,
  Mesh,
  Vector3,
  type Material,
} from 'three';
import type { Asset } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { DRACO_PATH, modelUrl } from './AssetModel';
import { InstanceBindings, type InstancesDef } from './instanceRuntime';
import { registerAsset, registerInstances } from './sceneRegistry';
import { logBusyFrame, sceneStats } from './sceneStats';
import { requestBlinkFrame } from './sceneFrames';
import { lightRendering, toLambert } from './softwareGl';
import { useSceneSync, type SceneSyncTarget } from './useSceneSync';

const hidden = new Matrix4().makeScale(0, 0, 0);
const place = new Matrix4();
const m = new Matrix4();
const offset = new Vector3();

/**
 * A model placed many times as InstancedMeshes, one per mesh of the model, all sharing one instance
 * grid. Per-instance bindings write colours into the instanceColor buffer in the frame loop: one
 * draw call per mesh of the template, whatever the number of instances.
 */
export function InstancedAsset({ folder, asset, def }: { folder: string; asset: Asset; def: InstancesDef }) {
  const gltf = useGLTF(modelUrl(folder, asset), DRACO_PATH, true);
  const invalidate = useThree((s) => s.invalidate);

  const built = useMemo(() => {
    gltf.scene.updateMatrixWorld(true);
    const meshes: { mesh: Mesh; local: Matrix4; colored: boolean }[] = [];
    gltf.scene.traverse((o) => {
      if (!(o instanceof Mesh)) return;
      let colored = def.colorNode === undefined;
      // The node as the glTF writes it ("Panel.Surface") or as three.js renamed it ("PanelSurface").
      for (let p: typeof o.parent = o; p && !colored; p = p.parent)
        if (p.name === def.colorNode || p.userData.name === def.colorNode) colored = true;
      meshes.push({ mesh: o, local: o.matrixWorld.clone(), colored });
    });
    const coloredMaterial = meshes.find((x) => x.colored)?.mesh.material as (Material & { color?: Color }) | undefined;
    const base = coloredMaterial?.color?.clone() ?? new Color('#9aa0a6');
    const runtime = new InstanceBindings(def, telemetry, base);
    const root = new Group();
    const instanced = meshes.map(({ mesh, local, colored }) => {
      const source = mesh.material as Material;
      const material = (lightRendering() ? toLambert(source) : source.clone()) as Material & { color?: Color };
      // instanceColor multiplies the material colour: white lets the per-instance colour through as is.
      if (colored && material.color) material.color.set('#ffffff');
      const im = new InstancedMesh(mesh.geometry, material, runtime.count);
      im.instanceMatrix.setUsage(DynamicDrawUsage);
      if (colored) {
        im.instanceColor = new InstancedBufferAttribute(runtime.colors, 3);
        im.instanceColor.setUsage(DynamicDrawUsage);
      }
      im.userData.instanceKeys = runtime.keys;
      root.add(im);
      return { im, local, colored };
    });
    const writeMatrices = () => {
      for (const { im, local } of instanced) {
        for (let k = 0; k < runtime.count; k++) {
          if (runtime.shown[k]) {
            place.makeTranslation(runtime.xz[k * 2], 0, runtime.xz[k * 2 + 1]);
            im.setMatrixAt(k, m.multiplyMatrices(place, local));
          } else {
            im.setMatrixAt(k, hidden);
          }
        }
        im.instanceMatrix.needsUpdate = true;
        im.computeBoundingSphere();
      }
    };
    writeMatrices();
    // An instance's bounds are those of the part that shows its state (the panel, not its post).
    const templateBox = new Box3();
    for (const { mesh, colored } of meshes) if (colored) templateBox.expandByObject(mesh);
    if (templateBox.isEmpty()) templateBox.setFromObject(gltf.scene);
    const dispose = () => {
      for (const { im } of instanced) {
        (im.material as Material).dispose();
        im.dispose();
      }
    };
    return { root, runtime, instanced, writeMatrices, templateBox, dispose };
  }, [gltf.scene, def]);

  useEffect(() => registerAsset(asset.id, built.root), [asset.id, built.root]);
  useEffect(() => {
    const { runtime, root, templateBox } = built;
    return registerInstances(asset.id, {
      bounds: (key, box) => {
        const k = runtime.indexOfKey(key);
        if (k < 0) return false;
        root.updateWorldMatrix(true, false);
        box.copy(templateBox);
        offset.set(runtime.xz[k * 2], 0, runtime.xz[k * 2 + 1]);
        box.translate(offset).applyMatrix4(root.matrixWorld);
        return true;
      },
      signals: (key) => runtime.signalsOf(key),
      look: (key) => {
        const k = runtime.indexOfKey(key);
        return k < 0 ? null : { stale: runtime.stale[k] === 1, alarm: runtime.alarmLookOf(key) };
      },
      neighbour: (key, dRow, dColumn) => runtime.neighbour(key, dRow, dColumn),
    });
  }, [asset.id, built]);

  const sync = useMemo<SceneSyncTarget>(() => {
    const { runtime } = built;
    return {
      get online() {
        return runtime.online;
      },
      set online(value: boolean) {
        runtime.online = value;
      },
      setAlarms: (alarms) => runtime.setAlarms(alarms, asset.id),
      staleChanged: (now) => runtime.staleChanged(now),
    };
  }, [built, asset.id]);
  useSceneSync(sync);
  // The grid's materials are its own copies: freed with it.
  useEffect(() => () => built.dispose(), [built]);

  useFrame(() => {
    const { runtime, instanced } = built;
    const t0 = performance.now();
    runtime.apply(Date.now());
    if (runtime.colorsChanged) {
      for (let i = 0; i < instanced.length; i++) {
        const c = instanced[i].im.instanceColor;
        if (instanced[i].colored && c) c.needsUpdate = true;
      }
    }
    if (runtime.shownChanged) built.writeMatrices();
    if (runtime.blinking) requestBlinkFrame(invalidate);
    const ms = performance.now() - t0;
    sceneStats.bindingMs += ms;
    if (runtime.changed > 0) logBusyFrame(ms, runtime.changed);
  });

  const scale = typeof asset.scale === 'number' ? ([asset.scale, asset.scale, asset.scale] as const) : asset.scale;
  const rotation = asset.rotation.map((d) => MathUtils.degToRad(d)) as [number, number, number];
  return <primitive object={built.root} position={asset.position} rotation={rotation} scale={scale} name={asset.id} />;
}
