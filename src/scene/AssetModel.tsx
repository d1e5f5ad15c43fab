import { use, useEffect, useMemo } from 'react';
import { useGLTF } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { MathUtils, type WebGLRenderer } from 'three';
import type { GLTFLoader, KTX2Loader } from 'three-stdlib';
import type { Asset } from '../twin/schema';
import { registerAsset } from './sceneRegistry';
import { lightRendering } from './softwareGl';
import { placeModel } from './placement';
import { resolvedModelUrl } from './modelSource';

/** Decoders are served by the app (tools/vite-plugin-twins.ts serves them from three): nothing from a CDN. */
export const DRACO_PATH = '/draco/';
export const BASIS_PATH = '/basis/';

// Fetched when this module runs (with the scene's code), not part of the first load: see ktx2.ts.
// A chunk that cannot be fetched costs only KTX2 textures: the other models still load, and one with
// a KTX2 texture fails with three's error naming the missing KTX2 loader (AssetBoundary shows it).
const ktx2Module: Promise<typeof KTX2Loader | null> = import('./ktx2').then(
  (m) => m.KTX2Loader,
  (err: unknown) => {
    console.warn('KTX2 texture support could not be loaded:', err);
    return null;
  },
);
let ktx2: KTX2Loader | null = null;

/**
 * One KTX2 (Basis Universal) loader for the page: it owns a transcoder worker pool, so it is shared.
 * Meshopt needs no file: its decoder is bundled (three-stdlib), enabled by useGLTF's third argument.
 */
function withKtx2(gl: WebGLRenderer, Loader: typeof KTX2Loader | null): (loader: GLTFLoader) => void {
  return (loader) => {
    if (!Loader) return;
    if (!ktx2) ktx2 = new Loader().setTranscoderPath(BASIS_PATH).detectSupport(gl);
    loader.setKTX2Loader(ktx2);
  };
}

/** Where a model is served: under the twin's folder (its name in the URL, not the twin's id). */
export function modelUrl(folder: string, asset: Asset): string {
  // The editor's draft files (blob URLs) come before the server's folder (modelSource.ts).
  const resolved = resolvedModelUrl(asset.model);
  if (resolved !== null) return resolved;
  return `/twins/${encodeURIComponent(folder)}/${asset.model.split('/').map(encodeURIComponent).join('/')}`;
}

/** One glTF asset placed in the scene; registered so bindings can find its nodes by name. */
export function AssetModel({ folder, asset }: { folder: string; asset: Asset }) {
  const gl = useThree((s) => s.gl);
  // Suspends (like useGLTF) until the KTX2 chunk is here (or known to be missing).
  const Loader = use(ktx2Module);
  const gltf = useGLTF(modelUrl(folder, asset), DRACO_PATH, true, withKtx2(gl, Loader));
  // A clone per placement (skeletons included): the same model may be placed twice, and bindings own node state.
  const placement = useMemo(() => placeModel(gltf.scene, lightRendering()), [gltf.scene]);
  const root = placement.root;
  // The placement's own materials go with it (unmount, another twin).
  useEffect(() => () => placement.dispose(), [placement]);
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
