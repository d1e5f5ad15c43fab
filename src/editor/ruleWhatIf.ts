/**
 * The rule form's what-if: how often a rule being written would have fired over the values the topic
 * browser has seen. The draft's signals say where each value comes from (topic pattern, path or
 * metric, unit conversion); the browser's sampled series at those places become the signal
 * histories that the dashboard's what-if (src/engine/whatIf.ts, the same Engine as the worker)
 * replays through the rule. Pure; loaded with the first test, not with the editor page.
 */
import { ruleSchema, signalSchema, twinSchema, type Rule, type SignalDef, type Twin } from '../twin/schema';
import { whatIf, mergeHistory, type SignalHistory } from '../engine/whatIf';
import { backtest, type BacktestEvent } from '../engine/backtest';
import { linearTransform } from '../engine/units';
import { fillTemplate } from '../twin/signalIds';
import type { TopicBrowser } from './topicBrowser';
import { parseCondition } from '../twin/condition';

/** The signal ids a condition reads. */
function signalsOf(when: string): string[] {
  const parsed = parseCondition(when);
  return parsed.ok ? parsed.signals : [];
}

export type SeenWhatIf =
  | {
      ok: true;
      /** Raises over the values seen. */
      fired: number;
      events: BacktestEvent[];
      /** First and last time of the values replayed; null when none were seen. */
      from: number | null;
      to: number | null;
      /** The signals the rule reads that had values seen. */
      signals: string[];
    }
  | { ok: false; error: string; position?: number };

const RULE_ID = 'what-if';

/** The histories of every concrete signal the draft's signals can fill from the browser's series. */
export function seenHistories(signals: readonly SignalDef[], browser: TopicBrowser): SignalHistory[] {
  const out = new Map<string, SignalHistory>();
  for (const signal of signals) {
    const path = signal.decoder === 'sparkplug' ? (signal.metric ?? '') : (signal.path ?? '');
    const [factor, offset] = linearTransform(signal);
    for (const { captures, series } of browser.seriesMatching(signal.topic, path)) {
      const id = fillTemplate(signal.id, captures);
      // The first definition that produces an id wins, as in the engine.
      if (out.has(id)) continue;
      const ring = series.ring;
      out.set(id, {
        id,
        length: ring.length,
        timeAt: (i) => ring.timeAt(i),
        valueAt: (i) => ring.valueAt(i) * factor + offset,
      });
    }
  }
  return [...out.values()];
}

/**
 * Replays the seen values through `ruleDraft` (the rule form's object, possibly incomplete: a missing
 * id or message is filled in), with the draft's valid signals. Errors say what stops it.
 */
export function seenWhatIf(ruleDraft: unknown, signalDrafts: unknown, browser: TopicBrowser): SeenWhatIf {
  const base = typeof ruleDraft === 'object' && ruleDraft !== null ? (ruleDraft as Record<string, unknown>) : {};
  const parsedRule = ruleSchema.safeParse({ ...base, id: RULE_ID, message: base.message || RULE_ID });
  if (!parsedRule.success) {
    const issue = parsedRule.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || 'rule'}: ${issue.message}` };
  }
  const rule: Rule = parsedRule.data;
  const signals: SignalDef[] = [];
  for (const s of Array.isArray(signalDrafts) ? signalDrafts : []) {
    const parsed = signalSchema.safeParse(s);
    if (parsed.success) signals.push(parsed.data);
  }
  const history = seenHistories(signals, browser);
  const twin: Twin = twinSchema.parse({
    id: RULE_ID,
    title: RULE_ID,
    connection: { url: 'ws://127.0.0.1:1', subscribe: ['#'] },
    rules: [rule],
  });
  if (rule.kind === 'condition') {
    if (rule.when === undefined) return { ok: false, error: 'when: required field is missing' };
    const result = whatIf(twin, RULE_ID, rule.when, history);
    if (!result.ok) return result;
    const used = new Set(signalsOf(rule.when));
    return finish(
      result.edited,
      result.from,
      result.to,
      history.filter((h) => used.has(h.id)),
    );
  }
  // Anomaly and forecast rules watch one signal: replayed as they are.
  const watched = history.filter((h) => h.id === rule.signal);
  if (watched.length === 0) return { ok: false, error: `no values seen of "${rule.signal ?? ''}"` };
  const topics = new Map(watched.map((h, i) => [h.id, `whatif/${i}`]));
  const messages = mergeHistory(watched, topics);
  const result = backtest(
    {
      ...twin,
      signals: watched.map((h) => signalSchema.parse({ id: h.id, topic: topics.get(h.id), decoder: 'number' })),
    },
    messages,
  );
  return finish(
    result.events.filter((e) => e.event === 'raise' || e.event === 'clear'),
    messages[0]?.t ?? null,
    messages.at(-1)?.t ?? null,
    watched,
  );
}

function finish(
  events: BacktestEvent[],
  from: number | null,
  to: number | null,
  history: readonly SignalHistory[],
): SeenWhatIf {
  return {
    ok: true,
    fired: events.filter((e) => e.event === 'raise').length,
    events,
    from,
    to,
    signals: history.filter((h) => h.length > 0).map((h) => h.id),
  };
}
