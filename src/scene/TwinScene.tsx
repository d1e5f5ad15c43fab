import {
  memo,
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Canvas, useFrame, useStore, useThree, type ThreeEvent } from '@react-three/fiber';
import { Matrix4 } from 'three';
import { OrbitControls, useProgress } from '@react-three/drei';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { AssetModel } from './AssetModel';
import { InstancedAsset } from './InstancedAsset';
import { AssetBoundary } from './AssetBoundary';
import { Bindings } from './Bindings';
import { BindingRuntime } from './bindingRuntime';
import { LabelLayer } from './LabelLayer';
import { telemetry } from '../store/telemetry';
import { requestFocus, useApp } from '../store/app';
import { SelectionOutline } from './SelectionOutline';
import { lightRendering, partialFramesAllowed, pixelBudgetFor, SOFTWARE_PIXEL_BUDGET, softwareDpr } from './softwareGl';
import { equipmentTree, instanceNeighbour, pickedPath, setMarkedPaths } from './sceneRegistry';
import './scene.css';
import './theme.css';
import { applyThemeToDocument, SCENE_COLORS, setTheme, useTheme } from './theme';
import { CameraRig, WHOLE_SCENE_VIEW } from './CameraRig';
import { labelLift } from './sceneFraming';
import { SceneProbe } from './SceneProbe';
import { GraphicsContextWatch } from './GraphicsContextWatch';
import { hoverReadingText } from './readingText';
import { FramePolicy, SOFTWARE_MOTION_FPS } from './framePolicy';
import { isOwnFrameRequest, setMotionDelay } from './sceneFrames';
import { sceneStats } from './sceneStats';
import type { DamageTracker, RegionCull } from './damage';

/** Where the camera starts while models load; a twin without views is then framed whole (CameraRig). */
const FALLBACK_VIEW = {
  position: [12, 9, 12] as [number, number, number],
  target: [0, 1, 0] as [number, number, number],
};

/**
 * The 3D view of a twin: its assets, bindings applied per frame, orbit controls and view presets.
 * Frames render on demand only (new data, interaction, animation), so an idle scene costs nothing.
 */
/**
 * Memoised: the dashboard re-renders when its alarm count or notices change, and a re-render of the
 * scene's tree is a React commit inside the canvas (the scene bench counts them: none while streaming).
 */
export const TwinScene = memo(function TwinScene({
  twin,
  children,
}: {
  twin: Twin;
  /** More scene content (the editor's transform gizmo and camera reader), drawn inside the canvas. */
  children?: ReactNode;
}) {
  const { t } = useTranslation('scene');
  const initial = twin.views[0]?.camera ?? FALLBACK_VIEW;
  const runtime = useMemo(() => new BindingRuntime(twin, telemetry), [twin]);
  // By the ids, not the twin: an edited twin (the editor's preview, an asset moved) with the same
  // assets must not reframe the camera.
  const assetKey = twin.assets.map((a) => a.id).join('\n');
  const assetIds = useMemo(() => (assetKey === '' ? [] : assetKey.split('\n')), [assetKey]);
  // Stable across twins (through a ref): the camera rig frames the scene again when this changes,
  // and an edited twin (the editor's preview) must keep its camera.
  const runtimeRef = useRef(runtime);
  runtimeRef.current = runtime;
  const onSceneSize = useCallback((radius: number) => (runtimeRef.current.labelLift = labelLift(radius)), []);
  // Nodes the twin names are equipment whatever their names: picking stops at them, the tree lists them.
  useEffect(
    () =>
      setMarkedPaths([...twin.bindings.map((b) => b.node), ...twin.rules.flatMap((r) => (r.asset ? [r.asset] : []))]),
    [twin],
  );
  // Models are served from the twin's folder, which need not be named like its id.
  const folder = useApp((s) => (s.load.state === 'ready' ? s.load.id : twin.id));
  const tooltip = useRef<HTMLDivElement>(null);
  // Software WebGL shades every pixel on the CPU: no multisampling, fewer pixels and diffuse materials
  // keep it responsive (see softwareGl.ts). `?render=full` keeps full quality anyway.
  const software = lightRendering();
  // The render scale under software WebGL (SoftwareResolution) is held here and given to the Canvas:
  // r3f applies its dpr prop again whenever this component renders, which had reset a heavy scene's
  // larger pixel budget to the initial 0.4 (a theme change, or an alarm raising the dashboard's count).
  const [softwareScale, setSoftwareScale] = useState(0.4);
  const [contextLost, setContextLost] = useState(false);
  const theme = useTheme((s) => s.theme);
  const colors = SCENE_COLORS[theme];
  // Instance bindings (InstancedAsset) do not report what they changed, so a scene with instances
  // draws every frame it is asked for; so does the editor's preview (children), which moves parts itself.
  const hasInstances = twin.assets.some((a) => a.instances !== undefined);
  useEffect(() => applyThemeToDocument(theme), [theme]);

  const onClick = (e: ThreeEvent<MouseEvent>) => {
    e.stopPropagation();
    const path = pickedPath(e.object, e.instanceId);
    if (path) useApp.setState({ selected: path });
  };
  // The tooltip is moved and filled directly (textContent), not through React state, on every pointer move.
  const onPointerMove = (e: ThreeEvent<PointerEvent>) => {
    e.stopPropagation();
    const el = tooltip.current;
    const path = pickedPath(e.object, e.instanceId);
    if (!el) return;
    if (!path) {
      el.hidden = true;
      return;
    }
    el.textContent = hoverReadingText(twin, path, telemetry, Date.now());
    el.style.transform = `translate(${e.offsetX + 14}px, ${e.offsetY + 14}px)`;
    el.hidden = false;
  };
  const onPointerOut = () => {
    if (tooltip.current) tooltip.current.hidden = true;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const tree = equipmentTree(assetIds);
    const selected = useApp.getState().selected;
    // The arrows walk the selection's own level of the tree (its siblings): from pump to pump, or
    // from part to part inside one pump. With nothing selected, the top level.
    const here = tree.find((entry) => entry.path === selected);
    const order = tree.filter((entry) => (here ? entry.parent === here.parent : entry.depth === 0)).map((x) => x.path);
    const at = here ? order.indexOf(here.path) : -1;
    const step =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    // On an instance of a grid (a panel of a field), the arrows walk the grid: left/right along the
    // row, up/down across rows. Escape leaves the grid.
    const vertical = e.key === 'ArrowUp' || e.key === 'ArrowDown';
    const neighbour =
      step !== 0 && selected ? instanceNeighbour(selected, vertical ? step : 0, vertical ? 0 : step) : null;
    if (neighbour) {
      useApp.setState({ selected: neighbour });
    } else if (step !== 0 && order.length > 0) {
      const next = at < 0 ? (step > 0 ? 0 : order.length - 1) : (at + step + order.length) % order.length;
      useApp.setState({ selected: order[next] });
    } else if ((e.key === 'Enter' || e.key === 'f' || e.key === 'F') && selected) {
      requestFocus(selected);
    } else if (e.key === 'Escape') {
      useApp.setState({ selected: null });
    } else if (e.key === 'Home') {
      resetView(twin.views[0]?.id ?? WHOLE_SCENE_VIEW);
    } else {
      return;
    }
    e.preventDefault();
  };

  return (
    <div
      className="scene"
      data-testid="scene"
      tabIndex={0}
      role="application"
      onKeyDown={onKeyDown}
      aria-label={t('label', { title: twin.title })}
    >
      <Canvas
        camera={{ position: initial.position, fov: 45, near: 0.1, far: 500 }}
        gl={{ preserveDrawingBuffer: true, antialias: !software, stencil: true /* the selection rim */ }}
        dpr={software ? softwareScale : [1, 2]}
        frameloop="demand"
        onPointerMissed={() => useApp.setState({ selected: null })}
      >
        <FrameGate
          runtime={runtime}
          gated={children === undefined && !hasInstances}
          capMs={software ? 1000 / SOFTWARE_MOTION_FPS : 0}
        />
        <color attach="background" args={[colors.background]} />
        <hemisphereLight args={[colors.sky, colors.ground, 1.6]} />
        <directionalLight position={[10, 18, 8]} intensity={1.8} />
        <directionalLight position={[-12, 8, -10]} intensity={0.6} />
        <group onClick={onClick} onPointerMove={onPointerMove} onPointerOut={onPointerOut}>
          {twin.assets.map((asset) => (
            <AssetBoundary key={asset.id} asset={asset}>
              <Suspense fallback={null}>
                {asset.instances ? (
                  <InstancedAsset folder={folder} asset={asset} def={asset.instances} />
                ) : (
                  <AssetModel folder={folder} asset={asset} />
                )}
              </Suspense>
            </AssetBoundary>
          ))}
        </group>
        <SelectionOutline />
        <Bindings runtime={runtime} />
        <OrbitControls makeDefault target={initial.target} maxPolarAngle={Math.PI * 0.49} />
        <CameraRig views={twin.views} assetIds={assetIds} onSceneSize={onSceneSize} />
        <SceneProbe twin={twin} runtime={runtime} />
        {software && <SoftwareResolution onScale={setSoftwareScale} />}
        <GraphicsContextWatch onLostChange={setContextLost} />
        {children}
      </Canvas>
      <LabelLayer runtime={runtime} />
      <div className="scene-tooltip" ref={tooltip} hidden role="tooltip" />
      <div className="scene-tools">
        <button
          type="button"
          onClick={() => {
            const selected = useApp.getState().selected;
            if (selected) requestFocus(selected);
          }}
          title={t('fitSelectionTitle')}
        >
          {t('fitSelection')}
        </button>
        <button
          type="button"
          onClick={() => resetView(twin.views[0]?.id ?? WHOLE_SCENE_VIEW)}
          title={twin.views[0] ? t('resetToFirst') : t('resetToWhole')}
        >
          {t('resetView')}
        </button>
        <button
          type="button"
          aria-pressed={theme === 'dark'}
          onClick={() => setTheme(theme === 'dark' ? 'isa101' : 'dark')}
          title={t('darkThemeTitle')}
        >
          {t('darkTheme')}
        </button>
      </div>
      <LoadingBar />
      {contextLost && (
        <div className="scene-notice" role="status" data-testid="scene-context-lost">
          {t('contextLost')}
        </div>
      )}
    </div>
  );
});

/**
 * Draws the scene: r3f leaves drawing to a frame callback of priority > 0, run after every other
 * one (the bindings). With `gated`, a frame draws only when its picture changed, and spinning parts
 * alone draw at most every `capMs` (framePolicy.ts). A request for a frame from anything but the
 * telemetry, blink and spin requests of sceneFrames.ts (the camera, a model loaded, the selection,
 * the theme, a resize: r3f's invalidate and store changes) always draws.
 */
function FrameGate({ runtime, gated, capMs }: { runtime: BindingRuntime; gated: boolean; capMs: number }) {
  const store = useStore();
  const policy = useMemo(() => new FramePolicy(capMs), [capMs]);
  const foreign = useRef(true);
  const seen = useMemo(() => ({ world: new Matrix4(), projection: new Matrix4() }), []);
  const afterFrame = useMemo(() => new MessageChannel(), []);
  const drawnAt = useRef(0);
  // Partial frames only where frames are gated (they need to know what changed) and under software WebGL.
  // Their code loads only then (a GPU never needs it); frames are whole until it has.
  const wantPartial = gated && capMs > 0 && partialFramesAllowed();
  const [damage, setDamage] = useState<{ tracker: DamageTracker; cull: RegionCull } | null>(null);
  useEffect(() => {
    if (!wantPartial) return;
    let live = true;
    void import('./damage').then(
      (m) => live && setDamage({ tracker: new m.DamageTracker(), cull: new m.RegionCull() }),
    );
    return () => {
      live = false;
    };
  }, [wantPartial]);
  const partial = wantPartial && damage !== null;
  useEffect(() => {
    afterFrame.port1.onmessage = () => {
      policy.noteFrameCost(performance.now() - drawnAt.current);
      sceneStats.frameHoldMs = policy.frameCost;
    };
    return () => {
      afterFrame.port1.onmessage = null;
    };
  }, [afterFrame, policy]);
  useLayoutEffect(() => {
    const original = store.getState().invalidate;
    const invalidate = (frames?: number) => {
      if (!isOwnFrameRequest()) foreign.current = true;
      original(frames);
    };
    store.setState({ invalidate });
    const unsubscribe = store.subscribe(() => {
      foreign.current = true;
    });
    return () => {
      unsubscribe();
      store.setState({ invalidate: original });
    };
  }, [store]);
  useEffect(
    () => (gated && capMs > 0 ? setMotionDelay(() => policy.motionDelay(performance.now())) : undefined),
    [gated, capMs, policy],
  );
  useFrame(({ gl, scene, camera, size }) => {
    // A lost context draws nothing (three.js returns at once): no frame to count, and the first
    // frame after its restore is whole (foreign stays set until a frame draws).
    if (gl.getContext().isContextLost()) return;
    sceneStats.passes++;
    // A camera moved by code that asked for the frame before this gate existed draws too.
    camera.updateMatrixWorld();
    const moved = !camera.matrixWorld.equals(seen.world) || !camera.projectionMatrix.equals(seen.projection);
    const whole = foreign.current || moved;
    const draw =
      !gated ||
      policy.draw({
        now: performance.now(),
        foreign: whole,
        changed: runtime.changed,
        moving: runtime.moving,
      });
    foreign.current = false;
    if (!draw) return;
    seen.world.copy(camera.matrixWorld);
    seen.projection.copy(camera.projectionMatrix);
    // Under software WebGL a frame that changes a few parts redraws only around them (damage.ts).
    const planner = partial && !whole ? damage : null;
    const region = planner ? planner.tracker.plan(runtime, camera, size.width, size.height) : null;
    if (planner && region) {
      gl.setScissorTest(true);
      gl.setScissor(region.x0, size.height - region.y1, region.x1 - region.x0, region.y1 - region.y0);
      // Meshes that cannot reach the rectangle are left out: SwiftShader pays per draw call too.
      sceneStats.culledDraws += planner.cull.hide(scene, camera, region, size.width, size.height);
    }
    try {
      gl.render(scene, camera);
    } finally {
      // Whatever the render did, the parts left out are back for the next frame.
      if (planner && region) planner.cull.restore();
    }
    runtime.drew();
    if (planner && region) {
      gl.setScissorTest(false);
      sceneStats.partialFrames++;
      sceneStats.partialShare += ((region.x1 - region.x0) * (region.y1 - region.y0)) / (size.width * size.height);
    } else if (partial) {
      damage.tracker.drewWhole(runtime, camera, size.width, size.height);
    }
    sceneStats.frames++;
    // Under the cap, how long this frame holds the main thread: the next task runs after Chrome's
    // commit, which with software compositing waits for SwiftShader to finish the frame.
    if (gated && capMs > 0) {
      drawnAt.current = performance.now();
      afterFrame.port2.postMessage(null);
    }
  }, 1);
  return null;
}

/** Software WebGL: the render scale follows the canvas size to stay within the pixel budget. */
function SoftwareResolution({ onScale }: { onScale: (dpr: number) => void }) {
  const width = useThree((s) => s.size.width);
  const height = useThree((s) => s.size.height);
  // Which budget applies depends on what the scene draws, known once models are in (triangles of the
  // last frame; it changes at most a few times, when models load).
  const [budget, setBudget] = useState(SOFTWARE_PIXEL_BUDGET);
  useFrame(({ gl }) => {
    const next = pixelBudgetFor(gl.info.render.triangles);
    if (next !== budget) setBudget(next);
  });
  useEffect(() => onScale(softwareDpr(width, height, budget)), [width, height, budget, onScale]);
  return null;
}

function resetView(id: string): void {
  useApp.setState((s) => ({ view: { id, seq: (s.view?.seq ?? 0) + 1 } }));
}

function LoadingBar() {
  const { t } = useTranslation('scene');
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
      <span>{t('loading', { item: item.split('/').pop(), progress: Math.round(progress) })}</span>
    </div>
  );
}
