import { Suspense } from 'react';
import { Canvas } from '@react-three/fiber';
import { OrbitControls, useProgress } from '@react-three/drei';
import type { Twin } from '../twin/schema';
import { AssetModel } from './AssetModel';
import { AssetBoundary } from './AssetBoundary';
import { Bindings } from './Bindings';
import { CameraRig } from './CameraRig';
import { SceneProbe } from './SceneProbe';

const FALLBACK_VIEW = {
  position: [12, 9, 12] as [number, number, number],
  target: [0, 1, 0] as [number, number, number],
};

/** The 3D view of a twin: its assets, bindings applied per frame, orbit controls and view presets. */
export function TwinScene({ twin }: { twin: Twin }) {
  const initial = twin.views[0]?.camera ?? FALLBACK_VIEW;
  return (
    <div className="scene" data-testid="scene">
      <Canvas
        camera={{ position: initial.position, fov: 45, near: 0.1, far: 500 }}
        gl={{ preserveDrawingBuffer: true, antialias: true }}
        dpr={[1, 2]}
        aria-label={`3D view of ${twin.title}`}
      >
        <color attach="background" args={['#d4d7db']} />
        <hemisphereLight args={['#ffffff', '#8a8f96', 1.6]} />
        <directionalLight position={[10, 18, 8]} intensity={1.8} />
        <directionalLight position={[-12, 8, -10]} intensity={0.6} />
        {twin.assets.map((asset) => (
          <AssetBoundary key={asset.id} asset={asset}>
            <Suspense fallback={null}>
              <AssetModel twinId={twin.id} asset={asset} />
            </Suspense>
          </AssetBoundary>
        ))}
        <Bindings twin={twin} />
        <OrbitControls makeDefault target={initial.target} maxPolarAngle={Math.PI * 0.49} />
        <CameraRig views={twin.views} />
        <SceneProbe twin={twin} />
      </Canvas>
      <LoadingBar />
    </div>
  );
}

function LoadingBar() {
  const { active, progress, item } = useProgress();
  if (!active) return null;
  return (
    <div
      className="loading"
      role="progressbar"
      aria-valuenow={Math.round(progress)}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="loading-bar" style={{ width: `${progress}%` }} />
      <span>
        Loading {item.split('/').pop()} … {Math.round(progress)}%
      </span>
    </div>
  );
}
