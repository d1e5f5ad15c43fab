/**
 * The editor (`?mode=edit[&twin=<folder>]`, issue 15): a top bar (title, undo/redo, problems, save),
 * the sections on the left, the live preview in the middle, the problems and side panels on the right.
 * The document and its history live in ../draft.ts; this page only lays them out and routes focus.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadDraft, newTwinDoc, DEFAULT_BROKER_URL, redo, undo, useDraft, type TwinDoc } from '../draft';
import { CENTER, RIGHT_PANELS, SECTIONS, sectionFor } from './sections';
import { ProblemsList } from './ProblemsList';
import { fetchServerConfig, twinFileUrl } from '../../app/loadTwin';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { autosave, draftKey, indexedDbStore, memoryStore, type Autosave, type DraftStore } from '../persist';
import { LargeModelsNote, SaveControl, SaveStateLine } from './SaveControl';
import { clockTime } from '../../lib/clock';
import { isTextEntry, shortcutFor } from '../shortcuts';
import { parentPath } from '../paths';
import '../editor.css';

type Opened =
  { state: 'loading' } | { state: 'ready'; restoredAt: number | null } | { state: 'failed'; message: string };

let drafts: DraftStore | null = null;
/** IndexedDB where the browser has it (a test runner or an odd private window may not): memory otherwise. */
function draftStore(): DraftStore {
  drafts ??= typeof indexedDB === 'undefined' ? memoryStore() : indexedDbStore();
  return drafts;
}

export default function EditorPage({ folder }: { folder: string | null }) {
  const { t } = useTranslation('editor');
  const [opened, setOpened] = useState<Opened>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void openDraft(folder).then(
      (restoredAt) => !cancelled && setOpened({ state: 'ready', restoredAt }),
      (err: unknown) =>
        !cancelled && setOpened({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [folder, attempt]);

  useEffect(() => {
    document.title = `${t('pageTitle')} · Twinview`;
  }, [t]);

  const discard = useCallback(async () => {
    await draftStore()
      .delete(draftKey(folder))
      .catch(() => undefined);
    setOpened({ state: 'loading' });
    setAttempt((a) => a + 1);
  }, [folder]);

  if (opened.state === 'loading') return <div className="center">{t('loading')}</div>;
  if (opened.state === 'failed')
    return (
      <div className="problems" role="alert">
        <h1>{t('openFailed')}</h1>
        <p>{opened.message}</p>
        <a href="?mode=edit">{t('newTwin')}</a>
      </div>
    );
  return <Editor restoredAt={opened.restoredAt} onDiscard={() => void discard()} />;
}

/** Loads the draft: the browser's unsaved one if there is one (its time is returned), else the twin or a new one. */
async function openDraft(folder: string | null): Promise<number | null> {
  const stored = await draftStore()
    .get(draftKey(folder))
    .catch(() => undefined);
  if (stored) {
    loadDraft(folder, stored.doc, stored.files);
    return stored.savedAt;
  }
  if (folder === null) {
    const config = await fetchServerConfig();
    loadDraft(null, newTwinDoc(config.brokerUrl ?? DEFAULT_BROKER_URL));
    return null;
  }
  const res = await fetch(twinFileUrl(folder));
  if (!res.ok) throw new Error(`could not fetch the twin "${folder}" (HTTP ${res.status})`);
  const text = await res.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`the twin "${folder}" is not JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`the twin "${folder}" is not a JSON object`);
  // Its model files stay on the server: the preview loads them by URL, saving leaves them in place.
  loadDraft(folder, doc as TwinDoc);
  return null;
}

/** Keeps the draft in the browser while the page is open: written shortly after each edit, and on leaving. */
function useKeepDraft(): { keptAt: number | null; forget(folders: (string | null)[]): Promise<void> } {
  const [keptAt, setKeptAt] = useState<number | null>(null);
  const saverRef = useRef<Autosave | null>(null);
  useEffect(() => {
    const saver = autosave(
      draftStore(),
      () => {
        const s = useDraft.getState();
        return { folder: s.folder, doc: s.doc, files: s.files, savedAt: Date.now() };
      },
      {
        onSaved: setKeptAt,
        onError: (err: unknown) => console.warn('The editor draft could not be kept in this browser:', err),
      },
    );
    // Only the user's changes: loading a twin (no history yet) is nothing to keep.
    const unsubscribe = useDraft.subscribe((s, prev) => {
      if (s.revision !== prev.revision && (s.canUndo || s.canRedo)) saver.changed();
    });
    const onHide = () => void saver.flush();
    window.addEventListener('pagehide', onHide);
    saverRef.current = saver;
    return () => {
      saverRef.current = null;
      unsubscribe();
      window.removeEventListener('pagehide', onHide);
      void saver.flush();
    };
  }, []);
  // The twin was saved: no write of the old state may land after its kept drafts are deleted.
  const forget = useCallback(async (folders: (string | null)[]) => {
    await saverRef.current?.settle();
    for (const folder of folders)
      await draftStore()
        .delete(draftKey(folder))
        .catch(() => undefined);
    setKeptAt(null);
  }, []);
  return { keptAt, forget };
}

function Editor({ restoredAt, onDiscard }: { restoredAt: number | null; onDiscard(): void }) {
  const { t } = useTranslation('editor');
  const { keptAt, forget } = useKeepDraft();
  const [restored, setRestored] = useState(restoredAt);

  // Saved to the server: the browser's draft is no longer needed, and a reload opens the saved twin.
  const onSaved = useCallback(
    (saved: string) => {
      const before = useDraft.getState().folder;
      useDraft.setState({ folder: saved });
      void forget([before, saved]);
      setRestored(null);
      const url = new URL(window.location.href);
      url.searchParams.set('twin', saved);
      window.history.replaceState(null, '', url);
    },
    [forget],
  );
  const title = useDraft((s) => (typeof s.doc.title === 'string' ? s.doc.title : ''));
  const canUndo = useDraft((s) => s.canUndo);
  const canRedo = useDraft((s) => s.canRedo);
  const undoLabel = useDraft((s) => s.undoLabel);
  const redoLabel = useDraft((s) => s.redoLabel);
  const problemCount = useDraft((s) => s.problems.length);
  const [open, setOpen] = useState<Record<string, boolean>>(() => ({ [SECTIONS[0]?.id ?? '']: true }));
  const focus = useDraft((s) => s.focus);

  // Keyboard undo/redo for the document (src/editor/shortcuts.ts: a text field keeps its own).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, isTextEntry(e.target instanceof HTMLElement ? e.target : null));
      if (!action) return;
      e.preventDefault();
      if (action === 'undo') undo();
      else redo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // A problem was clicked: open the section that owns the path, then focus the nearest field.
  useEffect(() => {
    if (!focus) return;
    const section = sectionFor(focus.path);
    if (section) setOpen((o) => (o[section.id] ? o : { ...o, [section.id]: true }));
    // The section renders its fields after it opens: look for the field on the next frame.
    // A section renders its fields once it is open, and may open an item of its own on the same
    // request: look for the exact field for a few frames, then settle for the nearest one above it.
    let frame = 0;
    let tries = 0;
    const look = () => {
      const found = focusElementFor(focus.path, tries >= FOCUS_TRIES);
      if (!found && tries++ < FOCUS_TRIES) frame = requestAnimationFrame(look);
    };
    frame = requestAnimationFrame(look);
    return () => cancelAnimationFrame(frame);
  }, [focus]);

  return (
    <div className="editor" data-testid="editor">
      <header className="topbar editor-bar">
        <a className="brand" href="/">
          Twinview
        </a>
        <span className="editor-mode">{t('mode')}</span>
        <h1 data-testid="editor-title">{title || t('untitled')}</h1>
        <div className="editor-actions">
          <button
            type="button"
            data-testid="editor-undo"
            disabled={!canUndo}
            title={undoLabel ? t('undoWhat', { what: undoLabel }) : undefined}
            aria-keyshortcuts="Control+Z"
            onClick={undo}
          >
            {t('undo')}
          </button>
          <button
            type="button"
            data-testid="editor-redo"
            disabled={!canRedo}
            title={redoLabel ? t('redoWhat', { what: redoLabel }) : undefined}
            aria-keyshortcuts="Control+Shift+Z Control+Y"
            onClick={redo}
          >
            {t('redo')}
          </button>
          <a
            href="#editor-problems-title"
            className={problemCount ? 'editor-problem-count bad' : 'editor-problem-count'}
          >
            {t('problemCount', { count: problemCount })}
          </a>
          <SaveControl onSaved={onSaved} />
        </div>
        <span className="editor-kept" data-testid="editor-draft-state">
          {keptAt !== null ? t('kept', { time: clockTime(keptAt) }) : null}
        </span>
        <LanguageSwitch />
      </header>
      {restored !== null ? (
        <div className="editor-notice" role="status" data-testid="editor-restored">
          <span>{t('restored', { time: clockTime(restored) })}</span>
          <button
            type="button"
            onClick={() => {
              setRestored(null);
              onDiscard();
            }}
          >
            {t('discard')}
          </button>
          <button type="button" onClick={() => setRestored(null)}>
            {t('keep')}
          </button>
        </div>
      ) : null}
      <SaveStateLine />
      <LargeModelsNote />
      <div className="editor-body">
        <nav className="editor-sections" aria-label={t('sectionsLabel')}>
          {SECTIONS.map((s) => {
            const Component = s.component;
            const isOpen = open[s.id] === true;
            return (
              <section key={s.id} className="editor-section" data-section={s.id}>
                <h2>
                  <button
                    type="button"
                    aria-expanded={isOpen}
                    aria-controls={`editor-section-${s.id}`}
                    onClick={() => setOpen((o) => ({ ...o, [s.id]: !isOpen }))}
                  >
                    {t(s.titleKey)}
                  </button>
                </h2>
                {isOpen ? (
                  <div id={`editor-section-${s.id}`}>
                    <Component />
                  </div>
                ) : null}
              </section>
            );
          })}
        </nav>
        <main className="editor-center">
          {CENTER.length ? (
            CENTER.map((Component, i) => <Component key={i} />)
          ) : (
            <p className="empty">{t('noPreview')}</p>
          )}
        </main>
        <aside className="editor-right">
          <ProblemsList />
          {RIGHT_PANELS.map((p) => {
            const Component = p.component;
            return (
              <section key={p.id} className="panel editor-panel" aria-label={t(p.titleKey)}>
                <h2>{t(p.titleKey)}</h2>
                <Component />
              </section>
            );
          })}
        </aside>
      </div>
    </div>
  );
}

const FOCUS_TRIES = 20;

/**
 * Focuses the field with this data-path; with `nearest`, else the nearest one above it
 * ("$.signals[2].x" -> "$.signals[2]"). Returns whether a field was focused.
 */
function focusElementFor(path: string, nearest: boolean): boolean {
  for (let p: string | null = path; p; p = nearest ? parentPath(p) : null) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
      return true;
    }
  }
  return false;
}
