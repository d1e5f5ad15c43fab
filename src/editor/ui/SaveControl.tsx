/**
 * "Save" in the editor's top bar: to the server's twins folder when it allows it, else a download of
 * `<folder>.zip`. Says what it is doing and how it ended; a saved twin offers "Open in operator mode".
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { focusField, useDraft } from '../draft';
import {
  fetchSaveStatus,
  largeModels,
  modelPaths,
  saveFolder,
  saveToServer,
  zipTwin,
  type SaveStatus,
} from '../saveTwin';
import { twinFileUrl } from '../../app/loadTwin';
import { formatNumber } from '../../lib/format';

let statusOnce: Promise<SaveStatus> | null = null;
/** The server's saving status, asked once per page. */
export function saveStatus(): Promise<SaveStatus> {
  statusOnce ??= fetchSaveStatus();
  return statusOnce;
}

type State =
  | { phase: 'idle' }
  | { phase: 'saving' }
  | { phase: 'saved'; path: string; folder: string }
  | { phase: 'zipped'; file: string }
  | { phase: 'failed'; message: string };

// One save line for the page: the button in the top bar sets it, the line under the bar shows it.
const useSaveLine = create<{ state: State }>(() => ({ state: { phase: 'idle' } }));
function setState(next: State | ((s: State) => State)): void {
  useSaveLine.setState((s) => ({ state: typeof next === 'function' ? next(s.state) : next }));
}

export interface SaveControlProps {
  /** Called after a save to the server, with the folder it went to (the page forgets its browser draft). */
  onSaved(folder: string): void;
}

export function SaveControl({ onSaved }: SaveControlProps) {
  const { t } = useTranslation('editor');
  const [status, setStatus] = useState<SaveStatus | null>(null);
  const state = useSaveLine((s) => s.state);
  const revision = useDraft((s) => s.revision);

  useEffect(() => {
    void saveStatus().then(setStatus);
  }, []);
  // An edit after a save: the result line no longer describes the document.
  useEffect(() => {
    setState((s) => (s.phase === 'saved' || s.phase === 'zipped' ? { phase: 'idle' } : s));
  }, [revision]);

  const save = async () => {
    const draft = useDraft.getState();
    if (draft.problems.length) {
      setState({ phase: 'failed', message: t('save.fixFirst', { count: draft.problems.length }) });
      focusField(draft.problems[0].path);
      return;
    }
    const name = saveFolder(draft.folder, draft.doc);
    setState({ phase: 'saving' });
    const current = status ?? (await saveStatus());
    if (current.save) {
      // Replacing a twin is only meant when it was opened from that folder.
      const result = await saveToServer(name, draft.doc, draft.files, draft.folder === name);
      if (result.ok) {
        setState({ phase: 'saved', path: result.path, folder: result.folder });
        onSaved(result.folder);
      } else {
        const problems = result.problems?.map((p) => `${p.path}: ${p.message}`).join('; ');
        setState({ phase: 'failed', message: problems ? `${result.error} (${problems})` : result.error });
      }
      return;
    }
    try {
      // A twin opened from the server has its models there, not in the draft: fetch them into the zip.
      const all = { ...draft.files };
      if (draft.folder !== null)
        for (const path of modelPaths(draft.doc))
          if (!(path in all)) {
            const res = await fetch(
              twinFileUrl(draft.folder).replace(/twin\.json$/, path.split('/').map(encodeURIComponent).join('/')),
            );
            if (res.ok) all[path] = await res.blob();
          }
      const zip = await zipTwin(name, draft.doc, all);
      const file = `${name}.zip`;
      const url = URL.createObjectURL(new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: 'zipped', file });
    } catch (err) {
      setState({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <button type="button" data-testid="editor-save" disabled={state.phase === 'saving'} onClick={() => void save()}>
      {status && !status.save ? t('save.download') : t('save.save')}
    </button>
  );
}

/** How the last save went, under the top bar (the bar has no room for a path and a link). */
export function SaveStateLine() {
  const { t } = useTranslation('editor');
  const state = useSaveLine((s) => s.state);
  if (state.phase === 'idle') return null;
  return (
    <div className="editor-notice editor-save-line">
      <span data-testid="editor-save-state" className="editor-save-state" role="status">
        {state.phase === 'saving' ? t('save.saving') : null}
        {state.phase === 'saved' ? (
          <>
            {t('save.saved', { path: state.path })}{' '}
            <a href={`?twin=${encodeURIComponent(state.folder)}`} data-testid="editor-open-operator">
              {t('save.openOperator')}
            </a>
          </>
        ) : null}
        {state.phase === 'zipped' ? t('save.zipped', { file: state.file }) : null}
        {state.phase === 'failed' ? (
          <span className="editor-bad">{t('save.failed', { reason: state.message })}</span>
        ) : null}
      </span>
      {state.phase !== 'saving' ? (
        <button type="button" onClick={() => setState({ phase: 'idle' })}>
          {t('save.dismiss')}
        </button>
      ) : null}
    </div>
  );
}

/** Models over 5 MB, each with the command that compresses it in place (shown to copy, not run from the page). */
export function LargeModelsNote() {
  const { t } = useTranslation('editor');
  const [status, setStatus] = useState<SaveStatus | null>(null);
  const files = useDraft((s) => s.files);
  const folder = useDraft((s) => s.folder);
  const id = useDraft((s) => s.doc.id);
  useEffect(() => {
    void saveStatus().then(setStatus);
  }, []);
  const large = largeModels(files, status?.save ? status.dir : 'models', saveFolder(folder, { id }));
  if (!large.length) return null;
  return (
    <div className="editor-notice" role="note">
      <ul>
        {large.map((m) => (
          <li key={m.path}>
            {t('save.large', { path: m.path, size: formatNumber(m.bytes / 1024 / 1024, 1) })} <code>{m.command}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
