import { useEffect, useMemo } from 'react';
import { useGLTF } from '@react-three/drei';
import { MathUtils } from 'three';
import type { Asset } from '../twin/schema';
import { registerAsset } from './sceneRegistry';

/** Decoders are served by the app (public/draco is copied from three at build time). */
export const DRACO_PATH = '/draco/';

export function modelUrl(twinId: string, asset: Asset): string {
  return `/twins/${encodeURIComponent(twinId)}/${asset.model.split('/').map(encodeURIComponent).join('/')}`;
}

/** One glTF asset placed in the scene; registered so bindings can find its nodes by name. */
export function AssetModel({ twinId, asset }: { twinId: string; asset: Asset }) {
  const gltf = useGLTF(modelUrl(twinId, asset), DRACO_PATH);
  // A clone per placement: the same model may be placed twice, and bindings own node state.
  const root = useMemo(() => gltf.scene.clone(true), [gltf.scene]);
  useEffect(() => registerAsset(asset.id, root), [asset.id, root]);
  const scale = typeof asset.scale === 'number' ? ([asset.scale, asset.scale, asset.scale] as const) : asset.scale;
  const rotation = asset.rotation.map((d) => MathUtils.degToRad(d)) as [number, number, number];
  return <primitive object={root} position={asset.position} rotation={rotation} scale={scale} name={asset.id} />;
}

/** Shown where a model failed to load, so the gap is visible in the scene. */
export function AssetPlaceholder({ asset }: { asset: Asset }) {
  return (
    <mesh position={[asset.position[0], asset.position[1] + 0.5, asset.position[2]]}>
      <boxGeometry args={[1, 1, 1]} />
      <meshStandardMaterial color="#d62828" wireframe />
    </mesh>
  );
}
