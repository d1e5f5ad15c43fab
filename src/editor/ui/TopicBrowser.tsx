/**
 * The topic browser (right column): subscribe to "#" or a prefix on the draft's broker, list the
 * topics seen with their rate and last payload, pick one to see its values, and make a signal from a
 * value (on the topic itself or a "+name" template of it). Messages never render: the panel reads the
 * model twice a second. Payloads are shown as text, never as markup.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { edit, focusField, useDraft } from '../draft';
import { filterProblem } from '../topicClient';
import { clearTopics, selectTopic, startBrowsing, stopBrowsing, topicModel, useTopics } from '../topicStore';
import { addSignal, signalFromPick } from '../signalDraft';
import { templateTopic, varyingLevels } from '../signalGuess';
import type { PayloadLeaf } from '../payloadPaths';
import type { TopicRow } from '../topicBrowser';
import { formatNumber } from '../../lib/format';
import './editorSignals.css';

/** How often the panel reads the model (the UI's rate: about twice a second). */
const POLL_MS = 500;
const MAX_ROWS = 200;
const PREVIEW_CHARS = 160;

function useModelTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let seen = -1;
    let quiet = 0;
    const timer = setInterval(() => {
      // Redraw on news, and every few seconds anyway so rates decay when a topic goes quiet.
      if (topicModel.version !== seen || ++quiet >= 4) {
        seen = topicModel.version;
        quiet = 0;
        setTick((t) => t + 1);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, []);
  return tick;
}

export function TopicBrowser() {
  const { t } = useTranslation('editorSignals');
  const url = useDraft((s) => {
    const c = s.doc.connection;
    return typeof c === 'object' && c !== null && typeof (c as { url?: unknown }).url === 'string'
      ? ((c as { url: string }).url ?? '')
      : '';
  });
  const state = useTopics((s) => s.state);
  const running = useTopics((s) => s.url);
  const selected = useTopics((s) => s.selected);
  const [filter, setFilter] = useState('#');
  const [search, setSearch] = useState('');
  const filterId = useId();
  const searchId = useId();
  useModelTick();
  useEffect(() => () => stopBrowsing(), []);

  const problem = filterProblem(filter.trim());
  const now = Date.now();
  const { rows, matched } = topicModel.rows(now, search, MAX_ROWS);
  const listening = state?.kind === 'subscribed' || state?.kind === 'connecting';

  return (
    <div className="topic-browser" data-testid="topic-browser">
      <form
        className="topic-browser-start"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem && url) void startBrowsing(url, filter.trim());
        }}
      >
        <label htmlFor={filterId}>{t('topics.filterLabel')}</label>
        <input
          id={filterId}
          value={filter}
          spellCheck={false}
          onChange={(e) => setFilter(e.target.value)}
          aria-invalid={problem !== null}
          aria-describedby={`${filterId}-hint`}
          data-testid="topic-filter"
        />
        <p className={problem ? 'editor-field-problems' : 'editor-field-hint'} id={`${filterId}-hint`}>
          {problem ? t(`topics.filterProblems.${problem}`) : t('topics.filterHint')}
        </p>
        <div className="editor-row-actions">
          <button type="submit" disabled={problem !== null || !url} data-testid="topic-start">
            {listening && running === url ? t('topics.restart') : t('topics.start')}
          </button>
          <button type="button" onClick={stopBrowsing} disabled={!listening}>
            {t('topics.stop')}
          </button>
          <button type="button" onClick={clearTopics}>
            {t('topics.clear')}
          </button>
        </div>
        {!url ? <p className="editor-field-hint">{t('topics.noBroker')}</p> : null}
        <p className="topic-browser-state" role="status" data-testid="topic-state">
          {state === null
            ? null
            : state.kind === 'error'
              ? t('topics.error', { reason: state.reason })
              : state.kind === 'subscribed'
                ? t('topics.subscribed', { filter: state.filter })
                : t(`topics.${state.kind}`)}
        </p>
      </form>
      <label htmlFor={searchId} className="visually-hidden">
        {t('topics.search')}
      </label>
      <input
        id={searchId}
        type="search"
        placeholder={t('topics.search')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <p className="editor-field-hint">
        {matched === 0 ? t('topics.none') : t('topics.shown', { shown: rows.length, matched })}
        {topicModel.droppedTopics > 0
          ? ` ${t('topics.dropped', { count: topicModel.droppedTopics, max: topicModel.options.maxTopics })}`
          : ''}
        {topicModel.refusedSeries > 0
          ? ` ${t('topics.seriesRefused', { count: topicModel.refusedSeries, max: topicModel.options.maxSeries })}`
          : ''}
      </p>
      <ul className="topic-rows">
        {rows.map((row) => (
          <TopicRowItem key={row.topic} row={row} selected={row.topic === selected} />
        ))}
      </ul>
      {selected ? <TopicValues topic={selected} /> : null}
    </div>
  );
}

function TopicRowItem({ row, selected }: { row: TopicRow; selected: boolean }) {
  const { t } = useTranslation('editorSignals');
  const preview =
    row.text === null
      ? t('topics.binary', { bytes: row.bytes })
      : row.text.length > PREVIEW_CHARS
        ? `${row.text.slice(0, PREVIEW_CHARS)}…`
        : row.text;
  return (
    <li
      className={selected ? 'topic-row selected' : 'topic-row'}
      data-testid="topic-row"
      data-topic={row.topic}
      data-count={row.count}
    >
      <button type="button" aria-pressed={selected} onClick={() => selectTopic(selected ? null : row.topic)}>
        {row.topic}
      </button>
      <span className="topic-rate" data-testid="topic-rate">
        {t('topics.rate', { rate: formatNumber(row.rate, row.rate < 10 ? 1 : 0) })}
      </span>
      <span className="topic-count">{t('topics.count', { count: row.count })}</span>
      <code className="topic-payload" data-testid="topic-payload">
        {preview}
      </code>
      {row.cut ? (
        <span className="topic-cut">{t('topics.cut', { kept: row.text?.length ?? 0, bytes: row.bytes })}</span>
      ) : null}
    </li>
  );
}

/** The selected topic's values: pick the signal's topic (itself or a template) and make a signal. */
function TopicValues({ topic }: { topic: string }) {
  const { t } = useTranslation('editorSignals');
  const patternId = useId();
  const paths = topicModel.leaves(topic);
  const seen = topicModel.topicNames();
  const templates = varyingLevels(topic, seen).map((v) => templateTopic(topic, v.index, v.values));
  const [pattern, setPattern] = useState(topic);
  const [made, setMade] = useState<string | null>(null);
  // A new topic picked: its own topic again.
  useEffect(() => {
    setPattern(topic);
    setMade(null);
  }, [topic]);
  const waitingSparkplug = topic.startsWith('spBv1.0/') && paths === null && topicModel.wantsSparkplug;

  const make = (leaf: PayloadLeaf) => {
    if (!paths) return;
    const signal = signalFromPick(topicModel, pattern, leaf, paths.decoder);
    let index = -1;
    edit(t('topics.makeSignal'), (doc) => {
      index = addSignal(doc, signal);
    });
    const made = (useDraft.getState().doc.signals as { id: string }[] | undefined)?.[index];
    setMade(made?.id ?? signal.id);
    focusField(`$.signals[${index}].id`);
  };

  return (
    <section className="topic-values" aria-label={t('topics.leaves', { topic })} data-testid="topic-values">
      <h3>{t('topics.leaves', { topic })}</h3>
      <div className="editor-field">
        <label htmlFor={patternId}>{t('topics.pattern')}</label>
        <select id={patternId} value={pattern} onChange={(e) => setPattern(e.target.value)} data-testid="topic-pattern">
          <option value={topic}>
            {topic} ({t('topics.thisTopic')})
          </option>
          {templates.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      {waitingSparkplug ? <p className="editor-field-hint">{t('topics.sparkplugWaiting')}</p> : null}
      {!paths || paths.leaves.length === 0 ? (
        <p className="editor-field-hint">{t('topics.noLeaves')}</p>
      ) : (
        <ul className="topic-leaves">
          {paths.leaves.map((leaf) => (
            <li key={leaf.path} data-testid="topic-leaf" data-path-leaf={leaf.path}>
              <code>{leaf.path || '(payload)'}</code> <span className="topic-leaf-value">{String(leaf.value)}</span>
              <button type="button" onClick={() => make(leaf)} data-testid="topic-make-signal">
                {t('topics.makeSignal')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {paths && paths.skipped > 0 ? (
        <p className="editor-field-hint">{t('topics.skipped', { count: paths.skipped })}</p>
      ) : null}
      {made ? (
        <p role="status" className="editor-ok">
          {t('topics.madeSignal', { id: made })}
        </p>
      ) : null}
    </section>
  );
}
