/**
 * The editor (`?mode=edit[&twin=<folder>]`, issue 15): a top bar (title, undo/redo, problems, save),
 * the sections on the left, the live preview in the middle, the problems and side panels on the right.
 * The document and its history live in ../draft.ts; this page only lays them out and routes focus.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadDraft, newTwinDoc, DEFAULT_BROKER_URL, redo, undo, useDraft, type TwinDoc } from '../draft';
import { CENTER, RIGHT_PANELS, SECTIONS, sectionFor } from './sections';
import { ProblemsList } from './ProblemsList';
import { fetchServerConfig, twinFileUrl } from '../../app/loadTwin';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { isTextEntry, shortcutFor } from '../shortcuts';
import { parentPath } from '../paths';
import '../editor.css';

type Opened = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

export default function EditorPage({ folder }: { folder: string | null }) {
  const { t } = useTranslation('editor');
  const [opened, setOpened] = useState<Opened>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    void openDraft(folder).then(
      () => !cancelled && setOpened({ state: 'ready' }),
      (err: unknown) =>
        !cancelled && setOpened({ state: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [folder]);

  useEffect(() => {
    document.title = `${t('pageTitle')} · Twinview`;
  }, [t]);

  if (opened.state === 'loading') return <div className="center">{t('loading')}</div>;
  if (opened.state === 'failed')
    return (
      <div className="problems" role="alert">
        <h1>{t('openFailed')}</h1>
        <p>{opened.message}</p>
        <a href="?mode=edit">{t('newTwin')}</a>
      </div>
    );
  return <Editor />;
}

async function openDraft(folder: string | null): Promise<void> {
  if (folder === null) {
    const config = await fetchServerConfig();
    loadDraft(null, newTwinDoc(config.brokerUrl ?? DEFAULT_BROKER_URL));
    return;
  }
  const res = await fetch(twinFileUrl(folder));
  if (!res.ok) throw new Error(`could not fetch the twin "${folder}" (HTTP ${res.status})`);
  const text = await res.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`the twin "${folder}" is not JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error(`the twin "${folder}" is not a JSON object`);
  loadDraft(folder, doc as TwinDoc);
}

function Editor() {
  const { t } = useTranslation('editor');
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
    const frame = requestAnimationFrame(() => focusNearest(focus.path));
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
        </div>
        <LanguageSwitch />
      </header>
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

/** Focuses the field with this data-path, or the nearest one above it ("$.signals[2].x" -> "$.signals[2]"). */
function focusNearest(path: string): void {
  for (let p: string | null = path; p; p = parentPath(p)) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus();
      return;
    }
  }
}
