/**
 * Rule limits a trend draws as reference lines, read from the twin's rules with the expression
 * parser: a comparison of a trended signal with a constant (`pump1.temp > 95`, `5 >= tank1.level`,
 * also inside `&&` / `||`), and a forecast rule's `limit`. Anything else (windows, arithmetic, two
 * signals compared) has no constant line to draw and is left out.
 */
import type { Rule } from '../twin/schema';
import { parseExpr, type CompareOp, type Expr } from '../expr/parse';

export interface RuleLimit {
  signal: string;
  value: number;
  ruleId: string;
  priority: Rule['priority'];
  /** The comparison as the signal reads it ("> 95"), or "forecast" for a forecast rule's limit. */
  op: CompareOp | 'forecast';
}

const FLIP: Record<CompareOp, CompareOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function constant(e: Expr): number | null {
  if (e.kind === 'num') return e.value;
  if (e.kind === 'neg') {
    const inner = constant(e.arg);
    return inner === null ? null : -inner;
  }
  return null;
}

function collect(e: Expr, rule: Rule, signals: ReadonlySet<string>, out: RuleLimit[]): void {
  if (e.kind === 'and' || e.kind === 'or') {
    collect(e.left, rule, signals, out);
    collect(e.right, rule, signals, out);
    return;
  }
  if (e.kind !== 'cmp') return;
  let signal: string | null = null;
  let value: number | null = null;
  let op = e.op;
  if (e.left.kind === 'sig') {
    signal = e.left.id;
    value = constant(e.right);
  } else if (e.right.kind === 'sig') {
    signal = e.right.id;
    value = constant(e.left);
    op = FLIP[op];
  }
  if (signal === null || value === null || !signals.has(signal)) return;
  out.push({ signal, value, ruleId: rule.id, priority: rule.priority, op });
}

/** The limit lines of `rules` on any of `signals`, in rule order; rules that do not parse are skipped. */
export function ruleLimits(rules: readonly Rule[], signals: readonly string[]): RuleLimit[] {
  const wanted = new Set(signals);
  const out: RuleLimit[] = [];
  for (const rule of rules) {
    if (rule.kind === 'forecast') {
      if (rule.signal !== undefined && rule.limit !== undefined && wanted.has(rule.signal))
        out.push({ signal: rule.signal, value: rule.limit, ruleId: rule.id, priority: rule.priority, op: 'forecast' });
      continue;
    }
    if (rule.kind !== 'condition' || rule.when === undefined) continue;
    let expr: Expr;
    try {
      expr = parseExpr(rule.when);
    } catch {
      continue; // the twin validator reports it; a trend just has no line for it
    }
    collect(expr, rule, wanted, out);
  }
  return out;
}
