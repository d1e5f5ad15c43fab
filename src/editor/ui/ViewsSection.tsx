/** Views: camera presets named from the preview's camera, each with its id and label, and "Go" to fly there. */
import { useTranslation } from 'react-i18next';
import { edit, useDraft, type TwinDoc } from '../draft';
import { idsOf, listOf, readCamera, viewFromCamera } from '../sceneEdit';
import { useApp } from '../../store/app';
import { TextField } from './fields';

/** One empty list for every render (a new [] per render would be a change to the store's subscribers). */
const NONE: unknown[] = [];

type ViewDoc = Record<string, unknown>;

function viewAt(doc: TwinDoc, i: number): ViewDoc | null {
  const v = Array.isArray(doc.views) ? (doc.views[i] as unknown) : undefined;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as ViewDoc) : null;
}

export function ViewsSection() {
  const { t } = useTranslation('editorScene');
  const views = useDraft((s) => (Array.isArray(s.doc.views) ? (s.doc.views as unknown[]) : NONE));
  const camera = usePreviewCamera();

  const add = () => {
    const now = readCamera();
    if (!now) return;
    const view = viewFromCamera(now, idsOf(useDraft.getState().doc, 'views'));
    edit(`Add view ${view.id}`, (doc) => {
      listOf(doc, 'views').push(view);
    });
  };

  return (
    <div className="editor-form">
      <button type="button" data-testid="editor-add-view" onClick={add} disabled={!camera}>
        {t('views.add')}
      </button>
      <p className="editor-field-hint">{t('views.hint')}</p>
      {views.length === 0 ? <p className="empty">{t('views.none')}</p> : null}
      <ol className="editor-views">
        {views.map((v, i) => {
          const view = (typeof v === 'object' && v !== null ? v : {}) as ViewDoc;
          const id = typeof view.id === 'string' ? view.id : '';
          return (
            <li key={i} className="editor-view" data-view={id}>
              <TextField
                path={`$.views[${i}].id`}
                label={t('views.id')}
                value={id}
                undoLabel={`Rename view ${id}`}
                apply={(doc, value) => {
                  const target = viewAt(doc, i);
                  if (target) target.id = value;
                }}
              />
              <TextField
                path={`$.views[${i}].label`}
                label={t('views.label')}
                value={typeof view.label === 'string' ? view.label : ''}
                undoLabel={`Label view ${id}`}
                apply={(doc, value) => {
                  const target = viewAt(doc, i);
                  if (!target) return;
                  if (value) target.label = value;
                  else delete target.label;
                }}
              />
              <div className="editor-row-actions">
                <button
                  type="button"
                  onClick={() => useApp.setState((s) => ({ view: { id, seq: (s.view?.seq ?? 0) + 1 } }))}
                  aria-label={t('views.goTo', { id })}
                >
                  {t('views.go')}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    const now = readCamera();
                    if (!now) return;
                    const { camera: fresh } = viewFromCamera(now, []);
                    edit(`Update view ${id}`, (doc) => {
                      const target = viewAt(doc, i);
                      if (target) target.camera = fresh;
                    });
                  }}
                  aria-label={t('views.updateFor', { id })}
                >
                  {t('views.update')}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    edit(`Remove view ${id}`, (doc) => {
                      listOf(doc, 'views').splice(i, 1);
                    })
                  }
                  aria-label={t('views.remove', { id })}
                >
                  {t('views.delete')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Whether the preview's scene is up (there is a camera to read). */
function usePreviewCamera(): boolean {
  return useApp((s) => s.load.state === 'ready');
}
