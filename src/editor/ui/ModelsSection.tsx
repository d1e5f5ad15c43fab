/**
 * Models: pick or drop .glb / .gltf files (with a .gltf's .bin and textures); each becomes an asset.
 * The asset list places them: position, rotation (degrees) and scale, each field with its data-path.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, useDraft, type TwinDoc } from '../draft';
import { addDroppedFiles, type DropReport as Report } from '../modelDrop';
import { assetIndex } from '../sceneEdit';
import { useApp } from '../../store/app';
import { NumberInput } from './sceneFields';

/** One empty list for every render (a new [] per render would be a change to the store's subscribers). */
const NONE: unknown[] = [];

const AXES = ['x', 'y', 'z'] as const;

type AssetDoc = Record<string, unknown>;

const vec = (v: unknown, fallback: number): [number, number, number] =>
  Array.isArray(v) && v.length === 3
    ? (v.map((n) => (typeof n === 'number' ? n : fallback)) as [number, number, number])
    : [fallback, fallback, fallback];

function assetAt(doc: TwinDoc, i: number): AssetDoc | null {
  const list = doc.assets;
  const a = Array.isArray(list) ? (list[i] as unknown) : undefined;
  return typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as AssetDoc) : null;
}

export function ModelsSection() {
  const { t } = useTranslation('editorScene');
  const inputId = useId();
  const assets = useDraft((s) => (Array.isArray(s.doc.assets) ? (s.doc.assets as unknown[]) : NONE));
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <div className="editor-form">
      <div className="editor-field">
        <label htmlFor={inputId}>{t('models.pick')}</label>
        <input
          id={inputId}
          type="file"
          multiple
          accept=".glb,.gltf,.bin,image/png,image/jpeg,image/webp,image/ktx2,.ktx2"
          data-testid="editor-model-drop"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (!files.length) return;
            setBusy(true);
            void addDroppedFiles(files)
              .then(setReport)
              .finally(() => setBusy(false));
          }}
        />
        <p className="editor-field-hint">{t('models.hint')}</p>
      </div>
      {busy ? <p role="status">{t('models.reading')}</p> : null}
      {report ? <DropReport report={report} onClose={() => setReport(null)} /> : null}
      <ul className="editor-assets" aria-label={t('models.list')}>
        {assets.map((a, i) => (
          <AssetRow key={i} index={i} asset={a} />
        ))}
      </ul>
      {assets.length === 0 ? <p className="empty">{t('models.none')}</p> : null}
    </div>
  );
}

/** What a drop did: the assets added and each file not added, with why. */
export function DropReport({ report, onClose }: { report: Report; onClose: () => void }) {
  const { t } = useTranslation('editorScene');
  return (
    <div className="editor-drop-report" role="status" data-testid="editor-model-report">
      {report.added.length ? (
        <p>{t('models.added', { count: report.added.length, ids: report.added.join(', ') })}</p>
      ) : null}
      {report.rejected.length ? (
        <ul className="editor-bad">
          {report.rejected.map((r) => (
            <li key={r.file}>{t('models.rejected', { file: r.file, reason: r.reason })}</li>
          ))}
        </ul>
      ) : null}
      <button type="button" onClick={onClose}>
        {t('models.dismiss')}
      </button>
    </div>
  );
}

function AssetRow({ index, asset }: { index: number; asset: unknown }) {
  const { t } = useTranslation('editorScene');
  const a = (typeof asset === 'object' && asset !== null ? asset : {}) as AssetDoc;
  const id = typeof a.id === 'string' ? a.id : '';
  const base = `$.assets[${index}]`;
  const selected = useApp((s) => s.selected);
  const isSelected = selected !== null && (selected === id || selected.startsWith(`${id}/`));
  const position = vec(a.position, 0);
  const rotation = vec(a.rotation, 0);
  const uniform = typeof a.scale === 'number' || a.scale === undefined;
  const scale = uniform ? [typeof a.scale === 'number' ? a.scale : 1] : vec(a.scale, 1);
  const set =
    (field: 'position' | 'rotation' | 'scale', axis: number | null, fallback: number) => (doc: TwinDoc, n: number) => {
      const target = assetAt(doc, index);
      if (!target) return;
      if (axis === null) target[field] = n;
      else {
        const v = vec(target[field], fallback);
        v[axis] = n;
        target[field] = v;
      }
    };
  return (
    <li className={isSelected ? 'editor-asset selected' : 'editor-asset'} data-asset={id}>
      <div className="editor-asset-head" data-path={base} tabIndex={-1}>
        <button
          type="button"
          aria-pressed={isSelected}
          onClick={() => useApp.setState({ selected: id })}
          title={t('models.selectTitle')}
        >
          {id || t('models.unnamed')}
        </button>
        <span className="editor-asset-file">{typeof a.model === 'string' ? a.model : ''}</span>
        <button
          type="button"
          className="editor-remove"
          aria-label={t('models.remove', { id })}
          onClick={() =>
            edit(`Remove asset ${id}`, (doc) => {
              const i = assetIndex(doc, id);
              if (i >= 0) (doc.assets as unknown[]).splice(i, 1);
            })
          }
        >
          ×
        </button>
      </div>
      <fieldset className="editor-vec">
        <legend>{t('models.position')}</legend>
        {AXES.map((axis, k) => (
          <NumberInput
            key={axis}
            path={`${base}.position[${k}]`}
            label={axis}
            value={position[k]}
            undoLabel={`Move ${id}`}
            apply={set('position', k, 0)}
            testId={`editor-asset-position-${axis}`}
          />
        ))}
      </fieldset>
      <fieldset className="editor-vec">
        <legend>{t('models.rotation')}</legend>
        {AXES.map((axis, k) => (
          <NumberInput
            key={axis}
            path={`${base}.rotation[${k}]`}
            label={axis}
            value={rotation[k]}
            undoLabel={`Rotate ${id}`}
            apply={set('rotation', k, 0)}
          />
        ))}
      </fieldset>
      <fieldset className="editor-vec">
        <legend>{t('models.scale')}</legend>
        {uniform ? (
          <NumberInput
            path={`${base}.scale`}
            label={t('models.allAxes')}
            value={scale[0]}
            undoLabel={`Scale ${id}`}
            apply={set('scale', null, 1)}
          />
        ) : (
          AXES.map((axis, k) => (
            <NumberInput
              key={axis}
              path={`${base}.scale[${k}]`}
              label={axis}
              value={scale[k]}
              undoLabel={`Scale ${id}`}
              apply={set('scale', k, 1)}
            />
          ))
        )}
      </fieldset>
    </li>
  );
}
