/**
 * Threshold rules ("pump1.temp > 95" with deadband and on-delay). A rule only decides when its
 * condition starts and stops; the alarm state machine (alarms.ts) decides what the operator sees.
 * Time is passed in, never read, so rules run the same live, in tests and when replaying a recording.
 */
import type { Rule } from '../twin/schema';
import { parseCondition, compare, type Condition } from '../twin/condition';
import { parseDuration } from '../lib/duration';

/** What a new value or the passing of time did to a rule. */
export type RuleChange = 'raise' | 'clear' | null;

export class ThresholdRule {
  readonly id: string;
  readonly condition: Condition;
  /** On-delay: the condition must hold this long, uninterrupted, before the rule raises. */
  readonly delayMs: number;
  /** Hysteresis: how far back past the limit a value must go before the rule clears. */
  readonly deadband: number;
  private raised = false;
  private pendingSince: number | null = null;
  private last = Number.NaN;

  /** Throws when the condition or the delay does not parse (a validated twin has neither). */
  constructor(readonly rule: Rule) {
    const parsed = parseCondition(rule.when);
    if (!parsed.ok) throw new Error(`rule "${rule.id}": ${parsed.error} at character ${parsed.position + 1}`);
    const delay = rule.for === undefined ? 0 : parseDuration(rule.for);
    if (delay === null) throw new Error(`rule "${rule.id}": "for" is not a duration`);
    this.id = rule.id;
    this.condition = parsed.condition;
    this.delayMs = delay;
    this.deadband = rule.deadband;
  }

  /** The rule has raised and not cleared since. */
  get active(): boolean {
    return this.raised;
  }

  /** The condition holds but the on-delay has not run out yet. */
  get pending(): boolean {
    return !this.raised && this.pendingSince !== null;
  }

  /** The latest value seen (NaN before the first). */
  get lastValue(): number {
    return this.last;
  }

  /** Does a value meet the raise condition? */
  holds(value: number): boolean {
    return compare(value, this.condition.op, this.condition.limit);
  }

  /**
   * Has a value gone far enough back to clear? For ">" that is value <= limit - deadband; for "<",
   * value >= limit + deadband; ">=" and "<=" likewise with the limit itself still counting as raised
   * (so with deadband 0 every comparison clears exactly on its inverse); "==" and "!=" on the inverse.
   */
  clears(value: number): boolean {
    const { op, limit } = this.condition;
    switch (op) {
      case '>':
        return value <= limit - this.deadband;
      case '>=':
        return value < limit - this.deadband;
      case '<':
        return value >= limit + this.deadband;
      case '<=':
        return value > limit + this.deadband;
      case '==':
      case '!=':
        return !compare(value, op, limit);
    }
  }

  /** Feeds a new value of the rule's signal, received at `now` (ms). */
  update(value: number, now: number): RuleChange {
    this.last = value;
    if (this.raised) {
      if (!this.clears(value)) return null;
      this.raised = false;
      this.pendingSince = null;
      return 'clear';
    }
    if (!this.holds(value)) {
      // Interrupted: the on-delay starts again from the next value that holds.
      this.pendingSince = null;
      return null;
    }
    this.pendingSince ??= now;
    return this.expire(now);
  }

  /**
   * Lets time pass without a new value: the last value is taken to still hold, so an on-delay runs
   * out even when the signal stops changing (or stops arriving).
   */
  tick(now: number): RuleChange {
    return this.raised || this.pendingSince === null ? null : this.expire(now);
  }

  private expire(now: number): RuleChange {
    if (this.pendingSince === null || now - this.pendingSince < this.delayMs) return null;
    this.raised = true;
    return 'raise';
  }
}
