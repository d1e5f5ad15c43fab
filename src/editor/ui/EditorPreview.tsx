/**
 * The middle of the editor: the draft running as a live twin (../preview.ts) in the normal scene,
 * with a transform gizmo on the selected asset (W/E/R: move, rotate, scale; each drag one undo
 * step), and models dropped anywhere on it added to the draft.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TransformControls } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { MathUtils, type Object3D } from 'three';
import { TwinScene } from '../../scene/TwinScene';
import { onRegistryChange } from '../../scene/sceneRegistry';
import { parseNodePath } from '../../scene/nodeNames';
import { useApp } from '../../store/app';
import { edit } from '../draft';
import { startPreview, usePreview } from '../preview';
import { assetIndex, GIZMO_KEYS, placementOf, setCameraReader, useGizmo, type GizmoMode } from '../sceneEdit';
import { isTextEntry } from '../shortcuts';
import { addDroppedFiles, type DropReport as Report } from '../modelDrop';
import { DropReport } from './ModelsSection';
import './editorScene.css';

export function EditorPreview() {
  const { t } = useTranslation('editorScene');
  const twin = usePreview((s) => s.twin);
  const paused = usePreview((s) => s.paused);
  const mode = useGizmo((s) => s.mode);
  const [report, setReport] = useState<Report | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => startPreview(), []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target instanceof HTMLElement ? e.target : null)) return;
    const next = GIZMO_KEYS[e.key.toLowerCase()];
    if (!next) return;
    useGizmo.setState({ mode: next });
    e.preventDefault();
  };
  // Files dropped anywhere on the page (but on a file input, which takes them itself) are added.
  useEffect(() => {
    const isFileInput = (t: EventTarget | null) => t instanceof HTMLInputElement && t.type === 'file';
    const onDragOver = (e: globalThis.DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files') || isFileInput(e.target)) return;
      e.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (e: globalThis.DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const onDrop = (e: globalThis.DragEvent) => {
      setDragging(false);
      if (isFileInput(e.target)) return;
      e.preventDefault();
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length) void addDroppedFiles(files).then(setReport);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <div
      className={dragging ? 'editor-preview dragging' : 'editor-preview'}
      data-testid="editor-preview"
      onKeyDown={onKeyDown}
    >
      <div className="editor-preview-bar" role="toolbar" aria-label={t('preview.tools')}>
        {(['translate', 'rotate', 'scale'] as GizmoMode[]).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            aria-keyshortcuts={Object.keys(GIZMO_KEYS)
              .find((k) => GIZMO_KEYS[k] === m)
              ?.toUpperCase()}
            onClick={() => useGizmo.setState({ mode: m })}
          >
            {t(`preview.${m}`)}
          </button>
        ))}
        {paused > 0 ? (
          <span className="editor-preview-paused" role="status" data-testid="editor-preview-paused">
            {t('preview.paused', { count: paused })}
          </span>
        ) : null}
      </div>
      {report ? <DropReport report={report} onClose={() => setReport(null)} /> : null}
      <div className="editor-preview-stage">
        {twin ? (
          <TwinScene twin={twin}>
            <CameraReader />
            <PlacementSync />
            <AssetGizmo />
          </TwinScene>
        ) : (
          <p className="empty">{paused > 0 ? t('preview.invalid', { count: paused }) : t('preview.starting')}</p>
        )}
      </div>
    </div>
  );
}

/** Lets the views section read the camera ("Add view from camera"). */
function CameraReader() {
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as { target?: { x: number; y: number; z: number } } | null;
  useEffect(
    () =>
      setCameraReader(() => {
        const target = controls?.target ?? { x: 0, y: 0, z: 0 };
        return {
          position: [camera.position.x, camera.position.y, camera.position.z],
          target: [target.x, target.y, target.z],
        };
      }),
    [camera, controls],
  );
  return null;
}

/**
 * Puts every asset where the previewed twin says, after each preview. The gizmo moves the object
 * itself; when the document goes back to a placement the scene already had (undo soon after a drag,
 * within one preview's debounce), the scene's props do not change and would leave it where it was dragged.
 */
function PlacementSync() {
  const twin = usePreview((s) => s.twin);
  const scene = useThree((s) => s.scene);
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    if (!twin) return;
    for (const asset of twin.assets) {
      const root = assetRoot(scene, asset.id);
      if (!root) continue;
      root.position.fromArray(asset.position);
      root.rotation.set(
        MathUtils.degToRad(asset.rotation[0]),
        MathUtils.degToRad(asset.rotation[1]),
        MathUtils.degToRad(asset.rotation[2]),
      );
      if (typeof asset.scale === 'number') root.scale.setScalar(asset.scale);
      else root.scale.fromArray(asset.scale);
    }
    invalidate();
  }, [twin, scene, invalidate]);
  return null;
}

/** The asset's root in the scene: a child of one of the scene's groups, named by the asset id. */
function assetRoot(scene: Object3D, id: string): Object3D | null {
  for (const group of scene.children) for (const child of group.children) if (child.name === id) return child;
  return null;
}

/** The gizmo on the asset of the selected part (or the asset selected itself). */
function AssetGizmo() {
  const selected = useApp((s) => s.selected);
  const mode = useGizmo((s) => s.mode);
  const scene = useThree((s) => s.scene);
  const parsed = selected ? parseNodePath(selected) : null;
  const assetId = parsed?.ok ? parsed.asset : null;
  const [object, setObject] = useState<Object3D | null>(null);

  useEffect(() => {
    if (!assetId) {
      setObject(null);
      return;
    }
    // The model may still be loading: look again whenever an asset comes or goes.
    const find = () => setObject(assetRoot(scene, assetId));
    find();
    return onRegistryChange(find);
  }, [scene, assetId]);

  if (!object || !assetId) return null;
  const commit = () => {
    const placed = placementOf(
      object.position.toArray(),
      [object.rotation.x, object.rotation.y, object.rotation.z],
      object.scale.toArray(),
    );
    const verb = mode === 'translate' ? 'Move' : mode === 'rotate' ? 'Rotate' : 'Scale';
    edit(`${verb} ${assetId}`, (doc) => {
      const i = assetIndex(doc, assetId);
      if (i < 0) return;
      const asset = (doc.assets as Record<string, unknown>[])[i];
      asset.position = placed.position;
      asset.rotation = placed.rotation;
      asset.scale = placed.scale;
    });
  };
  return <TransformControls object={object} mode={mode} onMouseUp={commit} />;
}
