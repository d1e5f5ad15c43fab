/**
 * The rules of a twin, compiled: conditions (expressions), anomaly bands and forecasts, each with
 * on-delay, off-delay and deadband. A rule only decides when its condition starts and stops (and
 * whether it is suppressed by design); the alarm state machine (alarms.ts) decides what the
 * operator sees. Time is passed in, never read, so rules run the same live, in tests and when
 * replaying a recording. Memory is fixed per rule: windows are bucketed (src/expr/window.ts).
 */
import type { Rule } from '../twin/schema';
import { parseExpr, signalsOf, type Expr } from '../expr/parse';
import {
  compareFlat,
  compileCondition,
  compileExpr,
  flatCondition,
  OP_GT,
  type Condition,
  type Evaluator,
  type ExprEnv,
  type FlatCompare,
  type FlatCondition,
} from '../expr/evaluate';
import {
  SignalWindow,
  WINDOW_DOUBLES,
  windowAvg,
  windowCoverage,
  windowFirst,
  windowMax,
  windowMin,
  windowPush,
  windowRate,
  windowTrend,
} from '../expr/window';
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
  /** Every detector, by the index a rule table refers to it with. */
  readonly detectorList: EwmaDetector[] = [];
  /** Every window, by the index a rule table refers to it with. */
  readonly windowList: SignalWindow[] = [];
  private readonly windowIndex = new Map<SignalWindow, number>();
  /**
   * Every window's numbers (WINDOW_DOUBLES each, by windowList index, so in the order rules ask for
   * them: a signal's windows adjacent), moved into one array by freeze(); the table and feed() call
   * the window* functions on it without the window objects.
   */
  windowData = new Float64Array(0);
  /**
   * Every detector's numbers (EWMA_DOUBLES each, by detectorList index), in one array sized for the
   * rule set's anomaly rules: the table reads a |z| and feed() pushes a value without the object.
   */
  readonly detectorData: Float64Array;
  /**
   * What feed() pushes a slot's value into, flat (built by freeze() once every rule is compiled):
   * slot s's windows are feedWindows[windowFrom[s] .. windowFrom[s + 1]), its detectors likewise.
   */
  windowFrom = new Int32Array(1);
  /** Where each of feed()'s windows starts in windowData. */
  feedWindowAt = new Int32Array(0);
  detectorFrom = new Int32Array(1);
  /** Where each of feed()'s detectors starts in detectorData. */
  feedDetectorAt = new Int32Array(0);
  /** Some rule was restored as raised (CompiledRule.restoreRaised) and may still await data. */
  restoredRaised = false;

  constructor(
    private readonly startedAt: number,
    detectors: number,
  ) {
    this.detectorData = new Float64Array(detectors * EWMA_DOUBLES);
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
    if (!w) {
      // In an array of its own until freeze() moves every window into windowData.
      list.push((w = new SignalWindow(ms)));
      this.windowIndex.set(w, this.windowList.length);
      this.windowList.push(w);
    }
    return w;
  }

  indexOfWindow(w: SignalWindow): number {
    return this.windowIndex.get(w)!;
  }

  /** A new anomaly detector fed by `slot`; returns its index in detectorList. */
  detector(slot: number, alpha: number, warmup: number): number {
    const base = this.detectorList.length * EWMA_DOUBLES;
    if (base >= this.detectorData.length) throw new Error('more anomaly detectors than the rule set counted');
    const detector = new EwmaDetector(alpha, warmup, { data: this.detectorData, base });
    this.detectors[slot].push(detector);
    return this.detectorList.push(detector) - 1;
  }

  /** Builds feed()'s flat lists from the per-slot ones (after every rule is compiled). */
  freeze(): void {
    const flatten = <T>(lists: T[][], from: Int32Array, out: T[]) => {
      for (let s = 0; s < lists.length; s++) {
        from[s] = out.length;
        for (const x of lists[s]) out.push(x);
      }
      from[lists.length] = out.length;
    };
    this.windowData = new Float64Array(this.windowList.length * WINDOW_DOUBLES);
    this.windowList.forEach((w, i) => w.moveTo(this.windowData, i * WINDOW_DOUBLES));
    this.windowFrom = new Int32Array(this.ids.length + 1);
    const windows: SignalWindow[] = [];
    flatten(this.windows, this.windowFrom, windows);
    this.feedWindowAt = Int32Array.from(windows, (w) => this.windowIndex.get(w)! * WINDOW_DOUBLES);
    this.detectorFrom = new Int32Array(this.ids.length + 1);
    const detectors: EwmaDetector[] = [];
    flatten(this.detectors, this.detectorFrom, detectors);
    const indexOf = new Map(this.detectorList.map((d, i) => [d, i]));
    this.feedDetectorAt = Int32Array.from(detectors, (d) => indexOf.get(d)! * EWMA_DOUBLES);
  }
}

/** A rule's change as the table gives it: none, raise, clear. */
export const NO_CHANGE = 0;
export const RAISE = 1;
export const CLEAR = 2;

// The rules' state and their common tests as numbers, STRIDE per rule in one Float64Array, so that
// evaluating a rule touches a few adjacent cache lines instead of its objects and closures. With
// 10,000 rules over 1,000 signals the engine's time per message was mostly first touches of memory
// (the same workload over 100 signals ran 3-4x faster); Node 20's V8, without pointer compression,
// has objects and closures twice as large as Chromium's.
const RAISED = 0;
const AWAITING = 1;
/** NaN when not pending (the condition does not hold, or the rule has raised). */
const PENDING_SINCE = 2;
/** NaN when not clearing. */
const CLEARING_SINCE = 3;
const DELAY = 4;
const OFF_DELAY = 5;
/** Forecast rules: predicted ms until the limit (NaN when none). */
const ETA = 6;
/** The raise/hold test's kind (TEST_*); its first comparison at TEST_A, its second at TEST_B. */
const TEST = 7;
const TEST_A = 8;
/** The suppression test's kind (TEST_* or TEST_NONE); its comparisons at SUPPRESS_A and SUPPRESS_B. */
const SUPPRESS = 14;
const TEST_B = 16;
const SUPPRESS_A = 22;
const SUPPRESS_B = 28;
// A rule is five cache lines (when the array starts on one). The first two hold the state, both test
// kinds and the first comparison, which is all that a one-comparison rule without suppressWhen (most
// rules) reads; the suppression kind sat on the third line before, read by every evaluation.
const STRIDE = 40;

const TEST_FN = 0;
const TEST_CMP = 1;
const TEST_AND = 2;
const TEST_OR = 3;
const TEST_NONE = 4;
/** A forecast rule: FORECAST_* fields after TEST. */
const TEST_FORECAST = 5;

// A comparison's fields: what its left side reads (LEFT_*), one or two slots or a window or detector
// index, the operator (OP_* of evaluate.ts), the limit when raising and the limit while holding
// (deadband applied).
const CMP_LEFT = 0;
const CMP_REF = 1;
const CMP_REF2 = 2;
const CMP_OP = 3;
const CMP_RAISE = 4;
const CMP_HOLD = 5;

const LEFT_SLOT = 0;
const LEFT_AGE = 1;
const LEFT_AVG = 2;
const LEFT_MIN = 3;
const LEFT_MAX = 4;
const LEFT_LAST = 5;
const LEFT_RATE = 6;
const LEFT_ABS = 7;
const LEFT_SUB = 8;
const LEFT_ADD = 9;
const LEFT_ABS_SUB = 10;
const LEFT_MIN2 = 11;
const LEFT_MAX2 = 12;
/** An anomaly detector's |z|. */
const LEFT_ANOMALY = 13;
const WINDOW_LEFT = { avg: LEFT_AVG, min: LEFT_MIN, max: LEFT_MAX, last: LEFT_LAST, rate: LEFT_RATE } as const;
const PAIR_LEFT = {
  abs: LEFT_ABS,
  sub: LEFT_SUB,
  add: LEFT_ADD,
  absSub: LEFT_ABS_SUB,
  min: LEFT_MIN2,
  max: LEFT_MAX2,
} as const;

// A forecast's fields after TEST: its window, its signal's slot, the limit, +1 rising / -1 falling,
// the horizon to raise within and the horizon to hold within.
const FORECAST_WINDOW = 1;
const FORECAST_SLOT = 2;
const FORECAST_LIMIT = 3;
const FORECAST_DIR = 4;
const FORECAST_RAISE = 5;
const FORECAST_HOLD = 6;

/**
 * Every rule's state machine and flat tests (see STRIDE), plus the closures of the tests that have
 * no flat form. RuleSet and CompiledRule share one.
 */
class RuleTable {
  readonly data: Float64Array;
  readonly raiseFns: Condition[] = [];
  readonly holdFns: Condition[] = [];
  readonly suppressFns: (Condition | null)[] = [];
  /** Scratch for a forecast's trend (written and read within one evaluation). */
  private readonly fit = { slope: 0, at: 0 };

  constructor(
    readonly signals: SignalTable,
    count: number,
  ) {
    this.data = new Float64Array(count * STRIDE);
    for (let i = 0; i < count; i++) {
      this.data[i * STRIDE + PENDING_SINCE] = Number.NaN;
      this.data[i * STRIDE + CLEARING_SINCE] = Number.NaN;
      this.data[i * STRIDE + ETA] = Number.NaN;
    }
  }

  /**
   * Stores a flat test: its kind at `at`, its comparisons at `a` and `b` (TEST, TEST_A, TEST_B or the
   * SUPPRESS ones, offsets from the rule's start); `hold` is the same test with its deadband, or null.
   */
  setTest(at: number, a: number, b: number, raise: FlatCondition | null, hold: FlatCondition | null): void {
    const d = this.data;
    if (raise === null || (hold !== null && hold.kind !== raise.kind)) {
      d[at] = TEST_FN;
      return;
    }
    d[at] = raise.kind === 'cmp' ? TEST_CMP : raise.kind === 'and' ? TEST_AND : TEST_OR;
    this.setCompare(a, raise.a, hold === null ? raise.a.limit : hold.a.limit);
    if (raise.kind !== 'cmp') {
      const holdB = hold === null || hold.kind === 'cmp' ? raise.b.limit : hold.b.limit;
      this.setCompare(b, raise.b, holdB);
    }
  }

  private setCompare(at: number, c: FlatCompare, holdLimit: number): void {
    const d = this.data;
    const left = c.left;
    if (left.kind === 'window') {
      d[at + CMP_LEFT] = WINDOW_LEFT[left.fn];
      d[at + CMP_REF] = this.signals.indexOfWindow(left.window);
    } else if (left.kind === 'pair') {
      d[at + CMP_LEFT] = PAIR_LEFT[left.fn];
      d[at + CMP_REF] = left.a;
      d[at + CMP_REF2] = left.b;
    } else {
      d[at + CMP_LEFT] = left.kind === 'slot' ? LEFT_SLOT : LEFT_AGE;
      d[at + CMP_REF] = left.slot;
    }
    d[at + CMP_OP] = c.op;
    d[at + CMP_RAISE] = c.limit;
    d[at + CMP_HOLD] = holdLimit;
  }

  /** Rule `i` at `now`: a raise, a clear or neither (RAISE, CLEAR, NO_CHANGE); CompiledRule.evaluate's logic. */
  evaluate(i: number, now: number): number {
    const d = this.data;
    const at = i * STRIDE;
    if (d[at + RAISED] === 0) {
      if (
        !this.holds(at, TEST, TEST_A, TEST_B, CMP_RAISE, now) &&
        !(d[at + TEST] === TEST_FN && this.raiseFns[i](now))
      ) {
        // Interrupted: the on-delay starts again from the next time the condition holds. (Written only
        // when set: most evaluations find nothing pending, and a store dirties the cache line.)
        if (d[at + PENDING_SINCE] === d[at + PENDING_SINCE]) d[at + PENDING_SINCE] = Number.NaN;
        return NO_CHANGE;
      }
      let since = d[at + PENDING_SINCE];
      if (since !== since) d[at + PENDING_SINCE] = since = now;
      if (now - since < d[at + DELAY]) return NO_CHANGE;
      d[at + RAISED] = 1;
      d[at + PENDING_SINCE] = Number.NaN;
      return RAISE;
    }
    if (
      d[at + AWAITING] !== 0 ||
      this.holds(at, TEST, TEST_A, TEST_B, CMP_HOLD, now) ||
      (d[at + TEST] === TEST_FN && this.holdFns[i](now))
    ) {
      if (d[at + CLEARING_SINCE] === d[at + CLEARING_SINCE]) d[at + CLEARING_SINCE] = Number.NaN;
      return NO_CHANGE;
    }
    let since = d[at + CLEARING_SINCE];
    if (since !== since) d[at + CLEARING_SINCE] = since = now;
    if (now - since < d[at + OFF_DELAY]) return NO_CHANGE;
    d[at + RAISED] = 0;
    d[at + CLEARING_SINCE] = Number.NaN;
    return CLEAR;
  }

  /** Rule `i`'s suppressWhen at `now`: 1 holds, 0 does not, -1 the rule has none. */
  suppressed(i: number, now: number): number {
    const at = i * STRIDE;
    const kind = this.data[at + SUPPRESS];
    if (kind === TEST_NONE) return -1;
    if (kind === TEST_FN) return this.suppressFns[i]!(now) ? 1 : 0;
    return this.holds(at, SUPPRESS, SUPPRESS_A, SUPPRESS_B, CMP_RAISE, now) ? 1 : 0;
  }

  /** The flat test at `at` with the RAISE or HOLD limits; false for a closure test (TEST_FN), which the caller runs. */
  private holds(at: number, kind: number, a: number, b: number, limit: number, now: number): boolean {
    const d = this.data;
    // `| 0` (here, in left() and for the operator): the kinds are small integers stored as doubles;
    // switched on as doubles V8 tests them case by case, as int32s it can jump (cachegrind: 18 % fewer
    // instructions per message on the rules bench stream).
    switch (d[at + kind] | 0) {
      case TEST_CMP:
        return this.compare(at + a, limit, now);
      case TEST_AND:
        return this.compare(at + a, limit, now) && this.compare(at + b, limit, now);
      case TEST_OR:
        return this.compare(at + a, limit, now) || this.compare(at + b, limit, now);
      case TEST_FORECAST:
        return this.forecast(at / STRIDE, limit === CMP_RAISE ? FORECAST_RAISE : FORECAST_HOLD, now);
      default:
        return false;
    }
  }

  private compare(at: number, limit: number, now: number): boolean {
    const d = this.data;
    return compareFlat(d[at + CMP_OP] | 0, this.left(at, now), d[at + limit]);
  }

  /** A comparison's left side: the same reads and arithmetic as the compiled closures (evaluate.ts). */
  private left(at: number, now: number): number {
    const t = this.signals;
    const d = this.data;
    const ref = d[at + CMP_REF];
    switch (d[at + CMP_LEFT] | 0) {
      case LEFT_SLOT:
        return t.values[ref];
      case LEFT_AGE:
        return (now - t.times[ref]) / 1000;
      case LEFT_AVG:
        return windowAvg(t.windowData, ref * WINDOW_DOUBLES, now);
      case LEFT_MIN:
        return windowMin(t.windowData, ref * WINDOW_DOUBLES, now);
      case LEFT_MAX:
        return windowMax(t.windowData, ref * WINDOW_DOUBLES, now);
      case LEFT_LAST:
        return windowFirst(t.windowData, ref * WINDOW_DOUBLES, now);
      case LEFT_RATE:
        return windowRate(t.windowData, ref * WINDOW_DOUBLES, now);
      case LEFT_ABS:
        return Math.abs(t.values[ref]);
      case LEFT_SUB:
        return t.values[ref] - t.values[d[at + CMP_REF2]];
      case LEFT_ADD:
        return t.values[ref] + t.values[d[at + CMP_REF2]];
      case LEFT_ABS_SUB:
        return Math.abs(t.values[ref] - t.values[d[at + CMP_REF2]]);
      case LEFT_MIN2:
        return Math.min(t.values[ref], t.values[d[at + CMP_REF2]]);
      case LEFT_MAX2:
        return Math.max(t.values[ref], t.values[d[at + CMP_REF2]]);
      default:
        return Math.abs(t.detectorData[ref * EWMA_DOUBLES + EWMA_Z]);
    }
  }

  /**
   * Forecast rule `i` at `now` within `horizon` (FORECAST_RAISE or FORECAST_HOLD): does its window's
   * trend reach the limit in time? Sets the rule's ETA (NaN when there is none).
   */
  forecast(i: number, horizon: number, now: number): boolean {
    const d = this.data;
    const at = i * STRIDE;
    const f = at + TEST;
    d[at + ETA] = Number.NaN;
    const wd = this.signals.windowData;
    const w = d[f + FORECAST_WINDOW] * WINDOW_DOUBLES;
    // A window that is not yet half full gives no trend worth an alarm.
    if (windowCoverage(wd, w, now) < 0.5 || !windowTrend(wd, w, now, this.fit)) return false;
    const current = this.signals.values[d[f + FORECAST_SLOT]];
    const limit = d[f + FORECAST_LIMIT];
    const dir = d[f + FORECAST_DIR];
    if ((limit - current) * dir <= 0) {
      d[at + ETA] = 0;
      return true;
    }
    if (this.fit.slope * dir <= 0) return false;
    const eta = (limit - current) / this.fit.slope;
    d[at + ETA] = eta;
    return eta <= d[f + horizon];
  }
}

// An EWMA detector's numbers, in storage of its own or a rule set's slab (as windows keep theirs: an
// object's mutable double fields are each a separate heap number in V8, one more place per value).
const EWMA_MEAN = 0;
const EWMA_VARIANCE = 1;
const EWMA_N = 2;
const EWMA_Z = 3;
const EWMA_ALPHA = 4;
const EWMA_WARMUP = 5;
/** The numbers one detector keeps (one cache line). */
export const EWMA_DOUBLES = 8;

/**
 * An EWMA band: mean and variance smoothed with `alpha`; after `warmup` samples, the z-score of each
 * new value against the band so far. NaN during warm-up (never raises).
 */
export class EwmaDetector {
  private readonly data: Float64Array;
  private readonly at: number;

  constructor(
    readonly alpha: number,
    readonly warmup: number,
    storage?: { data: Float64Array; base: number },
  ) {
    const d = (this.data = storage?.data ?? new Float64Array(EWMA_DOUBLES));
    const at = (this.at = storage?.base ?? 0);
    d[at + EWMA_MEAN] = 0;
    d[at + EWMA_VARIANCE] = 0;
    d[at + EWMA_N] = 0;
    d[at + EWMA_Z] = Number.NaN;
    d[at + EWMA_ALPHA] = alpha;
    d[at + EWMA_WARMUP] = warmup;
  }

  /** The z-score of the latest value (NaN during warm-up). */
  get z(): number {
    return this.data[this.at + EWMA_Z];
  }

  push(x: number): void {
    ewmaPush(this.data, this.at, x);
  }
}

/** Feeds `x` to the detector whose numbers start at `at` in `d`. */
function ewmaPush(d: Float64Array, at: number, x: number): void {
  const n = d[at + EWMA_N];
  if (n === 0) {
    d[at + EWMA_MEAN] = x;
    d[at + EWMA_VARIANCE] = 0;
  } else {
    const mean = d[at + EWMA_MEAN];
    const variance = d[at + EWMA_VARIANCE];
    const alpha = d[at + EWMA_ALPHA];
    const sd = Math.sqrt(variance);
    // A perfectly flat signal has no spread; any change from it is then an anomaly.
    d[at + EWMA_Z] = n < d[at + EWMA_WARMUP] ? Number.NaN : sd > 0 ? (x - mean) / sd : x === mean ? 0 : Infinity;
    const dx = x - mean;
    d[at + EWMA_MEAN] = mean + alpha * dx;
    d[at + EWMA_VARIANCE] = (1 - alpha) * (variance + alpha * dx * dx);
  }
  d[at + EWMA_N] = n + 1;
}

/**
 * One compiled rule: a raise test, a (deadband-relaxed) hold test and the delays between them. Its
 * state and, for the common shapes, its tests live in the rule set's table (RuleTable); the closures
 * stay for the other shapes and for callers that test a rule on its own.
 */
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
  private readonly table: SignalTable;
  private readonly at: number;

  /** Throws with the rule id and the position when an expression or duration does not parse. */
  constructor(
    readonly rule: Rule,
    private readonly rules: RuleTable,
    /** Position in the twin's rules (and in the engine's alarm book). */
    readonly index = 0,
  ) {
    const table = (this.table = rules.signals);
    const data = rules.data;
    this.at = index * STRIDE;
    this.id = rule.id;
    this.delayMs = data[this.at + DELAY] = duration(rule, 'for', rule.for, 0);
    this.offDelayMs = data[this.at + OFF_DELAY] = duration(rule, 'offDelay', rule.offDelay, 0);
    const suppress = rule.suppressWhen === undefined ? null : parse(rule, 'suppressWhen', rule.suppressWhen);
    this.suppressTest = suppress ? compileCondition(suppress, table) : null;
    if (suppress)
      rules.setTest(
        this.at + SUPPRESS,
        this.at + SUPPRESS_A,
        this.at + SUPPRESS_B,
        flatCondition(suppress, table),
        null,
      );
    else data[this.at + SUPPRESS] = TEST_NONE;
    rules.suppressFns[index] = this.suppressTest;
    switch (rule.kind) {
      case 'condition': {
        if (rule.when === undefined) throw new Error(`rule "${rule.id}": a condition rule needs "when"`);
        const expr = parse(rule, 'when', rule.when);
        this.raiseTest = compileCondition(expr, table);
        this.holdTest = compileCondition(expr, table, { deadband: rule.deadband });
        rules.setTest(
          this.at + TEST,
          this.at + TEST_A,
          this.at + TEST_B,
          flatCondition(expr, table),
          flatCondition(expr, table, { deadband: rule.deadband }),
        );
        const shown = reportedSide(expr);
        this.valueOf = compileExpr(shown, table);
        this.signals = signalsOf(expr);
        this.signal = signalsOf(shown)[0] ?? this.signals[0] ?? '';
        break;
      }
      case 'anomaly': {
        const signal = needSignal(rule);
        const slot = table.slot(signal);
        const ref = table.detector(slot, rule.alpha, rule.warmup);
        const detector = table.detectorList[ref];
        const k = rule.sigmas;
        const hold = Math.max(0, k - rule.deadband);
        this.raiseTest = () => Math.abs(detector.z) > k;
        this.holdTest = () => Math.abs(detector.z) > hold;
        this.valueOf = () => table.value(slot);
        this.signals = [signal];
        this.signal = signal;
        // In the table: |z| > k, as the closures.
        data[this.at + TEST] = TEST_CMP;
        data[this.at + TEST_A + CMP_LEFT] = LEFT_ANOMALY;
        data[this.at + TEST_A + CMP_REF] = ref;
        data[this.at + TEST_A + CMP_OP] = OP_GT;
        data[this.at + TEST_A + CMP_RAISE] = k;
        data[this.at + TEST_A + CMP_HOLD] = hold;
        break;
      }
      case 'forecast': {
        const signal = needSignal(rule);
        if (rule.limit === undefined) throw new Error(`rule "${rule.id}": a forecast needs "limit"`);
        const windowMs = duration(rule, 'window', rule.window, 10 * 60_000);
        const horizonMs = duration(rule, 'horizon', rule.horizon, 30 * 60_000);
        const slot = table.slot(signal);
        const f = this.at + TEST;
        data[f] = TEST_FORECAST;
        data[f + FORECAST_WINDOW] = table.indexOfWindow(table.window(signal, windowMs));
        data[f + FORECAST_SLOT] = slot;
        data[f + FORECAST_LIMIT] = rule.limit;
        data[f + FORECAST_DIR] = rule.direction === 'falling' ? -1 : 1;
        data[f + FORECAST_RAISE] = horizonMs;
        // Deadband for a forecast: hold while within the horizon plus 10 %, so the ETA's jitter does not chatter.
        data[f + FORECAST_HOLD] = horizonMs * 1.1;
        this.raiseTest = (now) => rules.forecast(index, FORECAST_RAISE, now);
        this.holdTest = (now) => rules.forecast(index, FORECAST_HOLD, now);
        this.valueOf = () => table.value(slot);
        this.signals = [signal];
        this.signal = signal;
        break;
      }
    }
    rules.raiseFns[index] = this.raiseTest;
    rules.holdFns[index] = this.holdTest;
    if (suppress) for (const s of signalsOf(suppress)) if (!this.signals.includes(s)) this.signals.push(s);
  }

  /** Forecast rules: predicted ms until the limit (NaN when none); kept for the message. */
  get etaMs(): number {
    return this.rules.data[this.at + ETA];
  }

  /** The rule has raised and not cleared since. */
  get active(): boolean {
    return this.rules.data[this.at + RAISED] !== 0;
  }

  /** The condition holds but the on-delay has not run out yet. */
  get pending(): boolean {
    const d = this.rules.data;
    return d[this.at + RAISED] === 0 && !Number.isNaN(d[this.at + PENDING_SINCE]);
  }

  /** Restored as raised: hold until a value arrives, since the new engine has none of the old values. */
  get awaitingData(): boolean {
    return this.rules.data[this.at + AWAITING] !== 0;
  }

  set awaitingData(awaiting: boolean) {
    this.rules.data[this.at + AWAITING] = awaiting ? 1 : 0;
  }

  /** Is the rule suppressed by design at `now`? */
  suppressed(now: number): boolean {
    return this.suppressTest !== null && this.suppressTest(now);
  }

  /** Marks the rule raised without an event: restoring alarm state after a restart. */
  restoreRaised(): void {
    const d = this.rules.data;
    this.table.restoredRaised = true;
    d[this.at + RAISED] = 1;
    d[this.at + AWAITING] = 1;
    d[this.at + PENDING_SINCE] = d[this.at + CLEARING_SINCE] = Number.NaN;
  }

  /** Evaluates the rule at `now` (after a new value, or as time passes). */
  evaluate(now: number): RuleChange {
    const change = this.rules.evaluate(this.index, now);
    return change === RAISE ? 'raise' : change === CLEAR ? 'clear' : null;
  }
}

/** The compiled rules of a twin and the signal values they read. */
export class RuleSet {
  readonly rules: CompiledRule[];
  private readonly table: SignalTable;
  private readonly flat: RuleTable;
  /** Rules to re-evaluate when a slot gets a value. */
  private readonly dependents: CompiledRule[][] = [];
  /**
   * The same by rule index, flat: slot s's dependents are dependentRules[dependentFrom[s] ..
   * dependentFrom[s + 1]). The engine's per-message loop reads these and touches no rule object.
   */
  readonly dependentFrom: Int32Array;
  readonly dependentRules: Int32Array;

  /** Throws (naming the rule) when a rule does not compile; a validated twin has none that fail. */
  constructor(rules: readonly Rule[], startedAt: number) {
    this.table = new SignalTable(startedAt, rules.filter((r) => r.kind === 'anomaly').length);
    this.flat = new RuleTable(this.table, rules.length);
    this.rules = rules.map((r, i) => new CompiledRule(r, this.flat, i));
    for (const rule of this.rules) {
      for (const id of rule.signals) {
        const slot = this.table.slot(id);
        while (this.dependents.length <= slot) this.dependents.push([]);
        this.dependents[slot].push(rule);
      }
    }
    while (this.dependents.length < this.table.ids.length) this.dependents.push([]);
    this.table.freeze();
    this.dependentFrom = new Int32Array(this.dependents.length + 1);
    this.dependentRules = new Int32Array(this.dependents.reduce((n, list) => n + list.length, 0));
    let n = 0;
    for (let s = 0; s < this.dependents.length; s++) {
      this.dependentFrom[s] = n;
      for (const rule of this.dependents[s]) this.dependentRules[n++] = rule.index;
    }
    this.dependentFrom[this.dependents.length] = n;
  }

  /** The slot of a signal id that some rule reads, or -1. */
  slotOf(id: string): number {
    return this.table.find(id) ?? -1;
  }

  /** Feeds a value into its slot (windows and detectors included); returns the rules to evaluate. */
  push(slot: number, value: number, now: number): readonly CompiledRule[] {
    this.feed(slot, value, now);
    return this.dependents[slot];
  }

  /** push() without the list: evaluate dependentRules[dependentFrom[slot] .. dependentFrom[slot + 1]) with evaluateAt. */
  feed(slot: number, value: number, now: number): void {
    const t = this.table;
    t.values[slot] = value;
    t.times[slot] = now;
    const windows = t.feedWindowAt;
    for (let i = t.windowFrom[slot], end = t.windowFrom[slot + 1]; i < end; i++)
      windowPush(t.windowData, windows[i], value, now);
    const detectors = t.feedDetectorAt;
    for (let i = t.detectorFrom[slot], end = t.detectorFrom[slot + 1]; i < end; i++)
      ewmaPush(t.detectorData, detectors[i], value);
    // Only rules restored as raised wait for data; without any, the loop over every dependent is skipped.
    if (t.restoredRaised) {
      const d = this.flat.data;
      for (let i = this.dependentFrom[slot]; i < this.dependentFrom[slot + 1]; i++)
        d[this.dependentRules[i] * STRIDE + AWAITING] = 0;
    }
  }

  /** Evaluates rule `index` at `now`: RAISE, CLEAR or NO_CHANGE (as CompiledRule.evaluate). */
  evaluateAt(index: number, now: number): number {
    return this.flat.evaluate(index, now);
  }

  /** Rule `index`'s suppressWhen at `now`: 1 holds, 0 does not, -1 the rule has none. */
  suppressedAt(index: number, now: number): number {
    return this.flat.suppressed(index, now);
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
