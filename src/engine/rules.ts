/**
 * The rules of a twin, compiled: conditions (expressions), anomaly bands and forecasts, each with
 * on-delay, off-delay and deadband. A rule only decides when its condition starts and stops (and
 * whether it is suppressed by design); the alarm state machine (alarms.ts) decides what the
 * operator sees. Time is passed in, never read, so rules run the same live, in tests and when
 * replaying a recording. Memory is fixed per rule: windows are bucketed (src/expr/window.ts).
 */
import type { Rule } from '../twin/schema';
import { parseExpr, signalsOf, type Expr } from '../expr/parse';
import { compileCondition, compileExpr, type Condition, type Evaluator, type ExprEnv } from '../expr/evaluate';
import { SignalWindow } from '../expr/window';
import { parseDuration } from '../lib/duration';

/** What a new value or the passing of time did to a rule. */
export type RuleChange = 'raise' | 'clear' | null;

/** Signal values as the rules see them, by slot (one slot per signal id any rule reads). */
class SignalTable implements ExprEnv {
  readonly ids: string[] = [];
  private readonly slots = new Map<string, number>();
  values = new Float64Array(16).fill(Number.NaN);
  times = new Float64Array(16);
  /** Windows and anomaly detectors fed by each slot. */
  readonly windows: SignalWindow[][] = [];
  readonly detectors: EwmaDetector[][] = [];
  /** Some rule was restored as raised (CompiledRule.restoreRaised) and may still await data. */
  restoredRaised = false;

  constructor(private readonly startedAt: number) {
    this.times.fill(startedAt);
  }

  slot(id: string): number {
    const known = this.slots.get(id);
    if (known !== undefined) return known;
    const slot = this.ids.length;
    this.ids.push(id);
    this.slots.set(id, slot);
    this.windows.push([]);
    this.detectors.push([]);
    if (slot >= this.values.length) {
      const values = new Float64Array(this.values.length * 2).fill(Number.NaN);
      values.set(this.values);
      const times = new Float64Array(this.times.length * 2).fill(this.startedAt);
      times.set(this.times);
      this.values = values;
      this.times = times;
    }
    return slot;
  }

  find(id: string): number | undefined {
    return this.slots.get(id);
  }

  value(slot: number): number {
    return this.values[slot];
  }

  time(slot: number): number {
    return this.times[slot];
  }

  window(id: string, ms: number): SignalWindow {
    const list = this.windows[this.slot(id)];
    let w = list.find((x) => x.windowMs === ms);
    if (!w) list.push((w = new SignalWindow(ms)));
    return w;
  }
}

/**
 * An EWMA band: mean and variance smoothed with `alpha`; after `warmup` samples, the z-score of each
 * new value against the band so far. NaN during warm-up (never raises).
 */
export class EwmaDetector {
  private mean = 0;
  private variance = 0;
  private n = 0;
  z = Number.NaN;

  constructor(
    readonly alpha: number,
    readonly warmup: number,
  ) {}

  push(x: number): void {
    if (this.n === 0) {
      this.mean = x;
      this.variance = 0;
    } else {
      const sd = Math.sqrt(this.variance);
      // A perfectly flat signal has no spread; any change from it is then an anomaly.
      this.z = this.n < this.warmup ? Number.NaN : sd > 0 ? (x - this.mean) / sd : x === this.mean ? 0 : Infinity;
      const d = x - this.mean;
      this.mean += this.alpha * d;
      this.variance = (1 - this.alpha) * (this.variance + this.alpha * d * d);
    }
    this.n++;
  }
}

/** One compiled rule: a raise test, a (deadband-relaxed) hold test and the delays between them. */
export class CompiledRule {
  readonly id: string;
  readonly delayMs: number;
  readonly offDelayMs: number;
  /** The signal whose value is reported with the alarm. */
  readonly signal: string;
  /** Every signal the rule reads (its condition and its suppression). */
  readonly signals: string[];
  readonly raiseTest: Condition;
  readonly holdTest: Condition;
  readonly valueOf: Evaluator;
  readonly suppressTest: Condition | null;
  /** Forecast rules: predicted ms until the limit (NaN when none); kept for the message. */
  etaMs = Number.NaN;
  private raised = false;
  /** Restored as raised: hold until a value arrives, since the new engine has none of the old values. */
  awaitingData = false;
  private pendingSince: number | null = null;
  private clearingSince: number | null = null;

  /** Throws with the rule id and the position when an expression or duration does not parse. */
  constructor(
    readonly rule: Rule,
    private readonly table: SignalTable,
    /** Position in the twin's rules (and in the engine's alarm book). */
    readonly index = 0,
  ) {
    this.id = rule.id;
    this.delayMs = duration(rule, 'for', rule.for, 0);
    this.offDelayMs = duration(rule, 'offDelay', rule.offDelay, 0);
    const suppress = rule.suppressWhen === undefined ? null : parse(rule, 'suppressWhen', rule.suppressWhen);
    this.suppressTest = suppress ? compileCondition(suppress, table) : null;
    switch (rule.kind) {
      case 'condition': {
        if (rule.when === undefined) throw new Error(`rule "${rule.id}": a condition rule needs "when"`);
        const expr = parse(rule, 'when', rule.when);
        this.raiseTest = compileCondition(expr, table);
        this.holdTest = compileCondition(expr, table, { deadband: rule.deadband });
        const shown = reportedSide(expr);
        this.valueOf = compileExpr(shown, table);
        this.signals = signalsOf(expr);
        this.signal = signalsOf(shown)[0] ?? this.signals[0] ?? '';
        break;
      }
      case 'anomaly': {
        const signal = needSignal(rule);
        const slot = table.slot(signal);
        const detector = new EwmaDetector(rule.alpha, rule.warmup);
        table.detectors[slot].push(detector);
        const k = rule.sigmas;
        const hold = Math.max(0, k - rule.deadband);
        this.raiseTest = () => Math.abs(detector.z) > k;
        this.holdTest = () => Math.abs(detector.z) > hold;
        this.valueOf = () => table.value(slot);
        this.signals = [signal];
        this.signal = signal;
        break;
      }
      case 'forecast': {
        const signal = needSignal(rule);
        if (rule.limit === undefined) throw new Error(`rule "${rule.id}": a forecast needs "limit"`);
        const windowMs = duration(rule, 'window', rule.window, 10 * 60_000);
        const horizonMs = duration(rule, 'horizon', rule.horizon, 30 * 60_000);
        const w = table.window(signal, windowMs);
        const slot = table.slot(signal);
        const limit = rule.limit;
        const dir = rule.direction === 'falling' ? -1 : 1;
        const fit = { slope: 0, at: 0 };
        const forecast = (now: number, horizon: number): boolean => {
          this.etaMs = Number.NaN;
          // A window that is not yet half full gives no trend worth an alarm.
          if (w.coverage(now) < 0.5 || !w.trend(now, fit)) return false;
          const current = table.value(slot);
          if ((limit - current) * dir <= 0) {
            this.etaMs = 0;
            return true;
          }
          if (fit.slope * dir <= 0) return false;
          this.etaMs = (limit - current) / fit.slope;
          return this.etaMs <= horizon;
        };
        this.raiseTest = (now) => forecast(now, horizonMs);
        // Deadband for a forecast: hold while within the horizon plus 10 %, so the ETA's jitter does not chatter.
        this.holdTest = (now) => forecast(now, horizonMs * 1.1);
        this.valueOf = () => table.value(slot);
        this.signals = [signal];
        this.signal = signal;
        break;
      }
    }
    if (suppress) for (const s of signalsOf(suppress)) if (!this.signals.includes(s)) this.signals.push(s);
  }

  /** The rule has raised and not cleared since. */
  get active(): boolean {
    return this.raised;
  }

  /** The condition holds but the on-delay has not run out yet. */
  get pending(): boolean {
    return !this.raised && this.pendingSince !== null;
  }

  /** Is the rule suppressed by design at `now`? */
  suppressed(now: number): boolean {
    return this.suppressTest !== null && this.suppressTest(now);
  }

  /** Marks the rule raised without an event: restoring alarm state after a restart. */
  restoreRaised(): void {
    this.table.restoredRaised = true;
    this.raised = true;
    this.awaitingData = true;
    this.pendingSince = this.clearingSince = null;
  }

  /** Evaluates the rule at `now` (after a new value, or as time passes). */
  evaluate(now: number): RuleChange {
    if (!this.raised) {
      if (!this.raiseTest(now)) {
        // Interrupted: the on-delay starts again from the next time the condition holds.
        this.pendingSince = null;
        return null;
      }
      this.pendingSince ??= now;
      if (now - this.pendingSince < this.delayMs) return null;
      this.raised = true;
      this.pendingSince = null;
      return 'raise';
    }
    if (this.awaitingData || this.holdTest(now)) {
      this.clearingSince = null;
      return null;
    }
    this.clearingSince ??= now;
    if (now - this.clearingSince < this.offDelayMs) return null;
    this.raised = false;
    this.clearingSince = null;
    return 'clear';
  }
}

/** The compiled rules of a twin and the signal values they read. */
export class RuleSet {
  readonly rules: CompiledRule[];
  private readonly table: SignalTable;
  /** Rules to re-evaluate when a slot gets a value. */
  private readonly dependents: CompiledRule[][] = [];

  /** Throws (naming the rule) when a rule does not compile; a validated twin has none that fail. */
  constructor(rules: readonly Rule[], startedAt: number) {
    this.table = new SignalTable(startedAt);
    this.rules = rules.map((r, i) => new CompiledRule(r, this.table, i));
    for (const rule of this.rules) {
      for (const id of rule.signals) {
        const slot = this.table.slot(id);
        while (this.dependents.length <= slot) this.dependents.push([]);
        this.dependents[slot].push(rule);
      }
    }
    while (this.dependents.length < this.table.ids.length) this.dependents.push([]);
  }

  /** The slot of a signal id that some rule reads, or -1. */
  slotOf(id: string): number {
    return this.table.find(id) ?? -1;
  }

  /** Feeds a value into its slot (windows and detectors included); returns the rules to evaluate. */
  push(slot: number, value: number, now: number): readonly CompiledRule[] {
    const t = this.table;
    t.values[slot] = value;
    t.times[slot] = now;
    const windows = t.windows[slot];
    for (let i = 0; i < windows.length; i++) windows[i].push(value, now);
    const detectors = t.detectors[slot];
    for (let i = 0; i < detectors.length; i++) detectors[i].push(value);
    const rules = this.dependents[slot];
    // Only rules restored as raised wait for data; without any, the loop over every dependent is skipped.
    if (t.restoredRaised) for (let i = 0; i < rules.length; i++) rules[i].awaitingData = false;
    return rules;
  }
}

function parse(rule: Rule, field: string, text: string): Expr {
  try {
    return parseExpr(text);
  } catch (err) {
    throw new Error(`rule "${rule.id}" ${field}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function duration(rule: Rule, field: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === null) throw new Error(`rule "${rule.id}": "${field}" is not a duration`);
  return ms;
}

function needSignal(rule: Rule): string {
  if (rule.signal === undefined) throw new Error(`rule "${rule.id}": a ${rule.kind} rule needs "signal"`);
  return rule.signal;
}

/**
 * The value an alarm reports: for "x > 95" (or "95 < x") the side that is not a constant, for a
 * logic expression the first comparison's; else the expression's value.
 */
function reportedSide(e: Expr): Expr {
  if (e.kind === 'cmp') return e.right.kind === 'num' ? e.left : e.left.kind === 'num' ? e.right : e.left;
  if (e.kind === 'and' || e.kind === 'or') return reportedSide(e.left);
  if (e.kind === 'not') return reportedSide(e.arg);
  return e;
}
