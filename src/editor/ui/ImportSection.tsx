/**
 * Import: a W3C WoT Thing Description or a DTDL interface (with the topic convention DTDL does not
 * say) through the existing importers (src/twin/importers, loaded on first use), merged into the
 * draft as one undo step. Every note the importer reports, and every change the merge makes, is
 * listed: nothing is dropped silently.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, useDraft } from '../draft';
import type { ImportNote } from '../../twin/importers/common';
import type { TwinProblem } from '../../twin/validate';
import { mergeImport } from '../importMerge';
import { urlProblem } from '../brokerTest';
// Static: the topic convention is checked as it is typed (the editor page is a chunk of its own anyway).
import { topicPatternProblem, twinFromDtdl } from '../../twin/importers/dtdl';
import './editorSignals.css';

type Kind = 'wot' | 'dtdl';

type Outcome =
  | { ok: true; file: string; signals: number; commands: number; notes: ImportNote[] }
  | { ok: false; message: string; notes: ImportNote[]; problems: TwinProblem[] };

export function ImportSection() {
  const { t } = useTranslation('editorSignals');
  const [kind, setKind] = useState<Kind>('wot');
  const [file, setFile] = useState<File | null>(null);
  const [topic, setTopic] = useState('{interface}/{name}');
  const [commandTopic, setCommandTopic] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { kind: useId(), file: useId(), topic: useId(), command: useId() };
  // The same checks as `twin from-dtdl` makes of its --topic and --command-topic.
  const topicProblem = kind === 'dtdl' ? topicPatternProblem(topic.trim(), false) : null;
  const commandProblem =
    kind === 'dtdl' && commandTopic.trim() !== '' ? topicPatternProblem(commandTopic.trim(), true) : null;

  const run = async () => {
    if (!file) {
      setOutcome({ ok: false, message: t('import.pickFile'), notes: [], problems: [] });
      return;
    }
    setBusy(true);
    try {
      setOutcome(await importFile(kind, file, topic.trim(), commandTopic.trim(), t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="editor-form" data-testid="import-form">
      <p className="editor-field-hint">{t('import.hint')}</p>
      <div className="editor-field">
        <label htmlFor={ids.kind}>{t('import.kind')}</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="import-kind">
          <option value="wot">{t('import.wot')}</option>
          <option value="dtdl">{t('import.dtdl')}</option>
        </select>
      </div>
      <div className="editor-field">
        <label htmlFor={ids.file}>{t('import.file')}</label>
        <input
          id={ids.file}
          type="file"
          accept=".json,.jsonld,.td,application/json,application/td+json,application/ld+json"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setOutcome(null);
          }}
        />
      </div>
      {kind === 'dtdl' ? (
        <>
          <div className="editor-field">
            <label htmlFor={ids.topic}>{t('import.topic')}</label>
            <input
              id={ids.topic}
              value={topic}
              spellCheck={false}
              onChange={(e) => setTopic(e.target.value)}
              aria-describedby={`${ids.topic}-hint`}
              aria-invalid={topicProblem !== null}
              data-testid="import-topic"
            />
            <p className={topicProblem ? 'editor-field-problems' : 'editor-field-hint'} id={`${ids.topic}-hint`}>
              {topicProblem ?? t('import.topicHint')}
            </p>
          </div>
          <div className="editor-field">
            <label htmlFor={ids.command}>{t('import.commandTopic')}</label>
            <input
              id={ids.command}
              value={commandTopic}
              spellCheck={false}
              onChange={(e) => setCommandTopic(e.target.value)}
              aria-describedby={`${ids.command}-hint`}
              aria-invalid={commandProblem !== null}
            />
            <p className={commandProblem ? 'editor-field-problems' : 'editor-field-hint'} id={`${ids.command}-hint`}>
              {commandProblem ?? t('import.commandTopicHint')}
            </p>
          </div>
        </>
      ) : null}
      <button
        type="button"
        onClick={() => void run()}
        disabled={busy || topicProblem !== null || commandProblem !== null}
        data-testid="import-run"
      >
        {t('import.run')}
      </button>
      {outcome ? <ImportOutcome outcome={outcome} /> : null}
    </div>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation('editorSignals');
  return (
    <div className="import-outcome" data-testid="import-outcome">
      <p role="status" className={outcome.ok ? 'editor-ok' : 'editor-bad'} data-testid="import-result">
        {outcome.ok
          ? t('import.done', { signals: outcome.signals, commands: outcome.commands, file: outcome.file })
          : outcome.message}
      </p>
      {!outcome.ok && outcome.problems.length > 0 ? (
        <>
          <p>{t('import.invalid')}</p>
          <ul className="import-notes">
            {outcome.problems.map((p, i) => (
              <li key={i}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>{outcome.notes.length ? t('import.notes', { count: outcome.notes.length }) : t('import.noNotes')}</p>
      {outcome.notes.length ? (
        <ul className="import-notes" data-testid="import-notes">
          {outcome.notes.map((n, i) => (
            <li key={i} data-testid="import-note">
              <code>{n.path}</code> {n.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

type T = ReturnType<typeof useTranslation<'editorSignals'>>['t'];

async function importFile(kind: Kind, file: File, topic: string, commandTopic: string, t: T): Promise<Outcome> {
  let doc: unknown;
  try {
    doc = JSON.parse(await file.text());
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ok: false, message: t('import.notJson', { file: file.name, error }), notes: [], problems: [] };
  }
  const draftUrl = (() => {
    const c = useDraft.getState().doc.connection;
    const url = typeof c === 'object' && c !== null ? (c as { url?: unknown }).url : undefined;
    return typeof url === 'string' && urlProblem(url) === null ? url : undefined;
  })();
  const result =
    kind === 'wot'
      ? (await import('../../twin/importers/wot')).twinFromThingDescription(doc)
      : twinFromDtdl(doc, {
          topic,
          commandTopic: commandTopic || undefined,
          // DTDL names no broker: the draft's (the merge keeps the draft's in any case).
          broker: draftUrl ?? 'ws://127.0.0.1:9001',
        });
  if (!result.ok) {
    return {
      ok: false,
      message: t('import.failed', { error: result.error }),
      notes: result.notes,
      problems: 'problems' in result ? result.problems : [],
    };
  }
  let merged: ReturnType<typeof mergeImport> | null = null;
  edit(`${t('import.run')}: ${file.name}`, (draft) => {
    merged = mergeImport(draft, result.twin);
  });
  const m = merged as ReturnType<typeof mergeImport> | null;
  return {
    ok: true,
    file: file.name,
    signals: m?.signals ?? 0,
    commands: m?.commands ?? 0,
    notes: [...result.notes, ...(m?.notes ?? [])],
  };
}
