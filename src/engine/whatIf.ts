/**
 * The browser's "test before deploy": replays the values the dashboard already holds (the telemetry
 * history) through a rule as it is and as edited, with the same Engine as the worker (backtest.ts).
 * Pure: the panel hands in the history; nothing here touches the DOM.
 */
import type { Rule, Twin } from '../twin/schema';
import { parseCondition } from '../twin/condition';
import { backtest, type BacktestEvent } from './backtest';
import type { RecordedMessage } from './recording';

/** One signal's recorded values, oldest first. */
export interface SignalHistory {
  id: string;
  length: number;
  timeAt(i: number): number;
  valueAt(i: number): number;
}

export type WhatIf =
  | { ok: true; current: BacktestEvent[]; edited: BacktestEvent[]; from: number | null; to: number | null }
  | { ok: false; error: string; position: number };

/**
 * Replays `history` through rule `ruleId` with its condition as it is and as `when`. Only raise
 * and clear events are returned. A `when` that does not parse gives the error and its position.
 */
export function whatIf(twin: Twin, ruleId: string, when: string, history: readonly SignalHistory[]): WhatIf {
  const rule = twin.rules.find((r) => r.id === ruleId);
  if (!rule) return { ok: false, error: `no rule "${ruleId}"`, position: 0 };
  const parsed = parseCondition(when);
  if (!parsed.ok) return parsed;
  const known = new Set(history.map((h) => h.id));
  const missing = parsed.signals.find((s) => !known.has(s));
  if (missing !== undefined)
    return { ok: false, error: `no recorded values of "${missing}"`, position: when.indexOf(missing) };

  // A twin that reads each recorded signal from a topic of its own, with only this rule.
  const topics = new Map(history.map((h, i) => [h.id, `whatif/${i}`]));
  const messages = mergeHistory(history, topics);
  const run = (r: Rule) =>
    backtest(
      {
        ...twin,
        signals: history.map(
          (h) => ({ id: h.id, topic: topics.get(h.id)!, decoder: 'number' }) as Twin['signals'][number],
        ),
        rules: [r],
      },
      messages,
    ).events.filter((e) => e.event === 'raise' || e.event === 'clear');
  const current = rule.kind === 'condition' ? run(rule) : [];
  const edited = run({ ...rule, kind: 'condition', when });
  return {
    ok: true,
    current,
    edited,
    from: messages.length > 0 ? messages[0].t : null,
    to: messages.length > 0 ? messages[messages.length - 1].t : null,
  };
}

/** The same comparison over a loaded recording (real topics and payloads, through the twin's own signals). */
export function whatIfRecording(
  twin: Twin,
  ruleId: string,
  when: string,
  messages: readonly RecordedMessage[],
): WhatIf {
  const rule = twin.rules.find((r) => r.id === ruleId);
  if (!rule) return { ok: false, error: `no rule "${ruleId}"`, position: 0 };
  const parsed = parseCondition(when);
  if (!parsed.ok) return parsed;
  const run = (r: Rule) =>
    backtest({ ...twin, rules: [r] }, messages).events.filter((e) => e.event === 'raise' || e.event === 'clear');
  return {
    ok: true,
    current: rule.kind === 'condition' ? run(rule) : [],
    edited: run({ ...rule, kind: 'condition', when }),
    from: messages.length > 0 ? messages[0].t : null,
    to: messages.length > 0 ? messages[messages.length - 1].t : null,
  };
}

/** Every recorded value as a message, in time order. */
export function mergeHistory(
  history: readonly SignalHistory[],
  topics: ReadonlyMap<string, string>,
): RecordedMessage[] {
  const out: RecordedMessage[] = [];
  for (const h of history) {
    const topic = topics.get(h.id)!;
    for (let i = 0; i < h.length; i++) {
      const v = h.valueAt(i);
      if (Number.isFinite(v)) out.push({ t: h.timeAt(i), topic, payload: String(v) });
    }
  }
  return out.sort((a, b) => a.t - b.t);
}
