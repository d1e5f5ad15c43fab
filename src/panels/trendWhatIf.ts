/**
 * The in-page what-if over the historian's data: "would this rule have fired last week?". The export
 * endpoint's recording (decoded-value lines, and message lines where kept) is replayed through the
 * rule as deployed and as edited, with the same Engine as `twin backtest` (src/engine/backtest.ts).
 * Pure: the panel fetches the recording (trendHistory.fetchExport) and hands in its text.
 */
import type { Rule, Twin } from '../twin/schema';
import { parseCondition } from '../twin/condition';
import { backtest } from '../engine/backtest';
import { parseRecording } from '../engine/recording';
import type { WhatIf } from '../engine/whatIf';

export { HISTORY_SPANS } from './whatIfSpans';

export type HistoryWhatIf = WhatIf | { ok: false; error: string; position: number; line: number };

/** Replays the recording `text` through rule `ruleId` as it is and with condition `when`. */
export function whatIfHistory(twin: Twin, ruleId: string, when: string, text: string): HistoryWhatIf {
  const rule = twin.rules.find((r) => r.id === ruleId);
  if (!rule) return { ok: false, error: `no rule "${ruleId}"`, position: 0 };
  const parsed = parseCondition(when);
  if (!parsed.ok) return parsed;
  const recording = parseRecording(text);
  if (!recording.ok) return { ok: false, error: recording.error, position: 0, line: recording.line };
  const { messages, values } = recording;
  const run = (r: Rule) =>
    backtest({ ...twin, rules: [r] }, messages, values).events.filter(
      (e) => e.event === 'raise' || e.event === 'clear',
    );
  const first = Math.min(messages[0]?.t ?? Infinity, values[0]?.t ?? Infinity);
  const last = Math.max(messages[messages.length - 1]?.t ?? -Infinity, values[values.length - 1]?.t ?? -Infinity);
  return {
    ok: true,
    current: rule.kind === 'condition' ? run(rule) : [],
    edited: run({ ...rule, kind: 'condition', when }),
    from: Number.isFinite(first) ? first : null,
    to: Number.isFinite(last) ? last : null,
  };
}
