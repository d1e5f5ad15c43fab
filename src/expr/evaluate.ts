/**
 * Turns a parsed expression into a tree of small closures (built once per rule, no allocation per
 * evaluation). Values are numbers; a comparison or logic gives 1 or 0; a signal without a value yet
 * is NaN, and a comparison with NaN is false, so a rule never raises on data it has not seen.
 *
 * Speed: every rule's closures come from the same few function literals, so V8 shares their type
 * feedback and a call from one closure to the next is megamorphic (never inlined). The tree is
 * therefore kept shallow: signals and constants are not closures of their own but operands read in
 * place (`values[slot]`, a captured number), the common shapes (`x > 90`, `a - b`, `max(a, b)`) get
 * one closure each, and conditions (comparisons and logic) return booleans, so a rule's test is
 * `x > 90` itself rather than a chain of calls converting to 1/0 and back. No `eval`/`new Function`:
 * the page's Content-Security-Policy forbids it, and the same code runs in the browser and in Node.
 */
import type { CompareOp, Expr } from './parse';
import type { SignalWindow } from './window';

export type Evaluator = (now: number) => number;
/** A compiled condition: does it hold at `now`? NaN operands never make a comparison hold. */
export type Condition = (now: number) => boolean;

/** Where compiled expressions read signals. Slots are resolved once, at compile time. */
export interface ExprEnv {
  slot(id: string): number;
  /**
   * Latest value per slot (NaN before the first). Read on every evaluation, never captured, so the
   * environment may replace the array as it grows.
   */
  readonly values: Float64Array;
  /**
   * Time (ms) of each slot's latest value; before the first, when the engine started, so a stale rule
   * fires for a signal that never arrives, but not at start-up. Read on every evaluation.
   */
  readonly times: Float64Array;
  window(id: string, ms: number): SignalWindow;
}

export interface CompileOptions {
  /**
   * Hysteresis: shift every comparison's limit by this much in the direction that keeps it true
   * (x > 95 holds while x > 95 - deadband). Used for the "stay raised" form of a rule's condition.
   */
  deadband?: number;
}

/** A compiled number: a constant, a signal's slot (read in place), or a closure. */
type Operand = { kind: 'const'; value: number } | { kind: 'slot'; slot: number } | { kind: 'fn'; fn: Evaluator };

/** The expression's value: 1/0 for a condition. */
export function compileExpr(expr: Expr, env: ExprEnv, options: CompileOptions = {}): Evaluator {
  return new Compiler(env, options.deadband ?? 0).number(expr, 1);
}

/** The expression as a condition: holds when its value is neither 0 nor NaN. */
export function compileCondition(expr: Expr, env: ExprEnv, options: CompileOptions = {}): Condition {
  return new Compiler(env, options.deadband ?? 0).condition(expr, 1);
}

/** A flat comparison's operator (the numbers a rule table stores). */
export const OP_GT = 1;
export const OP_GE = 2;
export const OP_LT = 3;
export const OP_LE = 4;
export const OP_EQ = 5;
export const OP_NE = 6;
const OP_CODES: Record<CompareOp, number> = {
  '>': OP_GT,
  '>=': OP_GE,
  '<': OP_LT,
  '<=': OP_LE,
  '==': OP_EQ,
  '!=': OP_NE,
};

/** What a flat comparison reads on its left: a signal's value, its age in seconds, or a window query. */
export type FlatLeft =
  | { kind: 'slot'; slot: number }
  | { kind: 'age'; slot: number }
  | { kind: 'window'; window: SignalWindow; fn: 'avg' | 'min' | 'max' | 'last' | 'rate' }
  /** `abs(a)`, `a - b`, `a + b`, `abs(a - b)`, `min(a, b)`, `max(a, b)` of signals (`b` unused for abs). */
  | { kind: 'pair'; fn: 'abs' | 'sub' | 'add' | 'absSub' | 'min' | 'max'; a: number; b: number };

/** `left op limit`, the limit with its deadband already applied (as the compiled closure has it). */
export interface FlatCompare {
  left: FlatLeft;
  op: number;
  limit: number;
}

/** A condition a rule table can hold as numbers: one comparison, or two joined by && or ||. */
export type FlatCondition = { kind: 'cmp'; a: FlatCompare } | { kind: 'and' | 'or'; a: FlatCompare; b: FlatCompare };

/**
 * The condition as a flat comparison (or two), when it has one of the common shapes a rule table
 * evaluates without closures: `x > 90`, `x < 5 || x > 95`, `age(x) > 30s`, `avg(x, 5m) > 80`. null
 * for anything else (compileCondition then). The limits are the compiled closures' own numbers, so
 * both forms give the same answer for every value (evaluate.test.ts checks it against the closures).
 */
export function flatCondition(expr: Expr, env: ExprEnv, options: CompileOptions = {}): FlatCondition | null {
  const d = options.deadband ?? 0;
  if (expr.kind === 'cmp') {
    const a = flatCompare(expr, env, d);
    return a && { kind: 'cmp', a };
  }
  if (expr.kind === 'and' || expr.kind === 'or') {
    if (expr.left.kind !== 'cmp' || expr.right.kind !== 'cmp') return null;
    const a = flatCompare(expr.left, env, d);
    const b = a && flatCompare(expr.right, env, d);
    return b && { kind: expr.kind, a: a!, b };
  }
  return null;
}

/** A comparison of a signal, an age or a window query against a constant (the compiler's `k`). */
function flatCompare(e: Extract<Expr, { kind: 'cmp' }>, env: ExprEnv, d: number): FlatCompare | null {
  const value = constantOf(e.right);
  if (value === null) return null;
  const l = e.left;
  let left: FlatLeft;
  if (l.kind === 'sig') left = { kind: 'slot', slot: env.slot(l.id) };
  else if (l.kind === 'call' && l.name === 'age' && l.args.length === 1 && l.args[0].kind === 'sig')
    left = { kind: 'age', slot: env.slot(l.args[0].id) };
  else if (l.kind === 'call' && l.args.length === 2 && l.args[0].kind === 'sig' && l.args[1].kind === 'dur') {
    if (l.name !== 'avg' && l.name !== 'min' && l.name !== 'max' && l.name !== 'last' && l.name !== 'rate') return null;
    left = { kind: 'window', window: env.window(l.args[0].id, l.args[1].ms), fn: l.name };
  } else {
    const pair = flatPair(l, env);
    if (pair === null) return null;
    left = pair;
  }
  const op = OP_CODES[e.op];
  // As Compiler.compare: `!=` against NaN never holds (left to the closure); equality has no deadband.
  if (op === OP_NE && value !== value) return null;
  const limit = op === OP_EQ || op === OP_NE ? value : op === OP_GT || op === OP_GE ? value - d : value + d;
  return { left, op, limit };
}

/** A signal-and-signal left side that Compiler.arith, call and extreme give one closure. */
function flatPair(e: Expr, env: ExprEnv): FlatLeft | null {
  if (e.kind === 'arith' && (e.op === '-' || e.op === '+') && e.left.kind === 'sig' && e.right.kind === 'sig')
    return { kind: 'pair', fn: e.op === '-' ? 'sub' : 'add', a: env.slot(e.left.id), b: env.slot(e.right.id) };
  if (e.kind !== 'call') return null;
  const [x, y] = e.args;
  if (e.name === 'abs' && e.args.length === 1) {
    if (x.kind === 'sig') return { kind: 'pair', fn: 'abs', a: env.slot(x.id), b: -1 };
    if (x.kind === 'arith' && x.op === '-' && x.left.kind === 'sig' && x.right.kind === 'sig')
      return { kind: 'pair', fn: 'absSub', a: env.slot(x.left.id), b: env.slot(x.right.id) };
    return null;
  }
  if ((e.name === 'min' || e.name === 'max') && e.args.length === 2 && x.kind === 'sig' && y.kind === 'sig')
    return { kind: 'pair', fn: e.name, a: env.slot(x.id), b: env.slot(y.id) };
  return null;
}

/** The constant an operand folds to in Compiler.operand (a number, a duration in seconds, a negated one). */
function constantOf(e: Expr): number | null {
  if (e.kind === 'num') return e.value;
  if (e.kind === 'dur') return e.ms / 1000;
  if (e.kind === 'neg') {
    const v = constantOf(e.arg);
    return v === null ? null : -v;
  }
  return null;
}

/** A flat comparison: the same operators, NaN never holds (except `!=` of a number, as the closures). */
export function compareFlat(op: number, v: number, limit: number): boolean {
  switch (op) {
    case OP_GT:
      return v > limit;
    case OP_GE:
      return v >= limit;
    case OP_LT:
      return v < limit;
    case OP_LE:
      return v <= limit;
    case OP_EQ:
      return v === limit;
    default:
      return v === v && v !== limit;
  }
}

/** NaN counts as false: no data, no alarm. */
export function truthy(v: number): boolean {
  return v !== 0 && v === v;
}

class Compiler {
  constructor(
    private readonly env: ExprEnv,
    private readonly deadband: number,
  ) {}

  number(e: Expr, sign: number): Evaluator {
    return this.fn(this.operand(e, sign));
  }

  /** `sign` flips under "not", where keeping the inner comparison true means tightening it. */
  condition(e: Expr, sign: number): Condition {
    switch (e.kind) {
      case 'cmp':
        return this.compare(e.op, this.operand(e.left, sign), this.operand(e.right, sign), this.deadband * sign);
      case 'and': {
        const l = this.condition(e.left, sign);
        const r = this.condition(e.right, sign);
        return (now) => l(now) && r(now);
      }
      case 'or': {
        const l = this.condition(e.left, sign);
        const r = this.condition(e.right, sign);
        return (now) => l(now) || r(now);
      }
      case 'not': {
        const a = this.condition(e.arg, -sign);
        return (now) => !a(now);
      }
      default: {
        const o = this.operand(e, sign);
        if (o.kind === 'const') {
          const holds = truthy(o.value);
          return () => holds;
        }
        if (o.kind === 'slot') {
          const env = this.env;
          const s = o.slot;
          return () => {
            const v = env.values[s];
            return v !== 0 && v === v;
          };
        }
        const f = o.fn;
        return (now) => {
          const v = f(now);
          return v !== 0 && v === v;
        };
      }
    }
  }

  private fn(o: Operand): Evaluator {
    switch (o.kind) {
      case 'const': {
        const v = o.value;
        return () => v;
      }
      case 'slot': {
        const env = this.env;
        const s = o.slot;
        return () => env.values[s];
      }
      case 'fn':
        return o.fn;
    }
  }

  private operand(e: Expr, sign: number): Operand {
    const env = this.env;
    switch (e.kind) {
      case 'num':
        return { kind: 'const', value: e.value };
      case 'dur':
        return { kind: 'const', value: e.ms / 1000 };
      case 'sig':
        return { kind: 'slot', slot: env.slot(e.id) };
      case 'neg': {
        const a = this.operand(e.arg, sign);
        if (a.kind === 'const') return { kind: 'const', value: -a.value };
        if (a.kind === 'slot') {
          const s = a.slot;
          return { kind: 'fn', fn: () => -env.values[s] };
        }
        const f = a.fn;
        return { kind: 'fn', fn: (now) => -f(now) };
      }
      case 'cmp':
      case 'and':
      case 'or':
      case 'not': {
        const c = this.condition(e, sign);
        return { kind: 'fn', fn: (now) => (c(now) ? 1 : 0) };
      }
      case 'arith':
        return { kind: 'fn', fn: this.arith(e.op, this.operand(e.left, sign), this.operand(e.right, sign)) };
      case 'call':
        return { kind: 'fn', fn: this.call(e, sign) };
    }
  }

  private arith(op: '+' | '-' | '*' | '/' | '%', lo: Operand, ro: Operand): Evaluator {
    const env = this.env;
    if (lo.kind === 'slot' && ro.kind === 'slot') {
      const a = lo.slot;
      const b = ro.slot;
      switch (op) {
        case '+':
          return () => env.values[a] + env.values[b];
        case '-':
          return () => env.values[a] - env.values[b];
        case '*':
          return () => env.values[a] * env.values[b];
        case '/':
          return () => env.values[a] / env.values[b];
        case '%':
          return () => env.values[a] % env.values[b];
      }
    }
    if (lo.kind === 'slot' && ro.kind === 'const') {
      const a = lo.slot;
      const k = ro.value;
      switch (op) {
        case '+':
          return () => env.values[a] + k;
        case '-':
          return () => env.values[a] - k;
        case '*':
          return () => env.values[a] * k;
        case '/':
          return () => env.values[a] / k;
        case '%':
          return () => env.values[a] % k;
      }
    }
    const l = this.fn(lo);
    const r = this.fn(ro);
    switch (op) {
      case '+':
        return (now) => l(now) + r(now);
      case '-':
        return (now) => l(now) - r(now);
      case '*':
        return (now) => l(now) * r(now);
      case '/':
        return (now) => l(now) / r(now);
      case '%':
        return (now) => l(now) % r(now);
    }
  }

  /**
   * `l op r`, the limit moved by `d` (deadband x sign) in the direction that keeps it true:
   * `l > r - d`, `l < r + d`; equality is exact. One closure for a signal or a function against a constant.
   */
  private compare(op: CompareOp, lo: Operand, ro: Operand, d: number): Condition {
    const env = this.env;
    if (op === '==' || op === '!=') {
      // Symmetric: put a signal or a function on the left of a constant.
      if (lo.kind === 'const' && ro.kind !== 'const') [lo, ro] = [ro, lo];
      if (lo.kind === 'slot' && ro.kind === 'const') {
        const s = lo.slot;
        const k = ro.value;
        if (op === '==') return () => env.values[s] === k;
        if (k !== k) return () => false;
        return () => {
          const v = env.values[s];
          return v === v && v !== k;
        };
      }
      const l = this.fn(lo);
      const r = this.fn(ro);
      if (op === '==') return (now) => l(now) === r(now);
      return (now) => {
        const a = l(now);
        const b = r(now);
        return a === a && b === b && a !== b;
      };
    }
    if (ro.kind === 'const') {
      // The limit with its deadband, computed once (the same number `r - d` gives on each evaluation).
      const k = op === '>' || op === '>=' ? ro.value - d : ro.value + d;
      if (lo.kind === 'slot') {
        const s = lo.slot;
        switch (op) {
          case '>':
            return () => env.values[s] > k;
          case '>=':
            return () => env.values[s] >= k;
          case '<':
            return () => env.values[s] < k;
          case '<=':
            return () => env.values[s] <= k;
        }
      }
      const l = this.fn(lo);
      switch (op) {
        case '>':
          return (now) => l(now) > k;
        case '>=':
          return (now) => l(now) >= k;
        case '<':
          return (now) => l(now) < k;
        case '<=':
          return (now) => l(now) <= k;
      }
    }
    if (lo.kind === 'const' && ro.kind === 'slot') {
      const k = lo.value;
      const s = ro.slot;
      switch (op) {
        case '>':
          return () => k > env.values[s] - d;
        case '>=':
          return () => k >= env.values[s] - d;
        case '<':
          return () => k < env.values[s] + d;
        case '<=':
          return () => k <= env.values[s] + d;
      }
    }
    const l = this.fn(lo);
    const r = this.fn(ro);
    switch (op) {
      case '>':
        return (now) => l(now) > r(now) - d;
      case '>=':
        return (now) => l(now) >= r(now) - d;
      case '<':
        return (now) => l(now) < r(now) + d;
      case '<=':
        return (now) => l(now) <= r(now) + d;
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>, sign: number): Evaluator {
    const env = this.env;
    const [a0, a1] = e.args;
    if (a0.kind === 'sig' && a1?.kind === 'dur' && e.args.length === 2) {
      const w = env.window(a0.id, a1.ms);
      switch (e.name) {
        case 'avg':
          return (now) => w.avg(now);
        case 'min':
          return (now) => w.min(now);
        case 'max':
          return (now) => w.max(now);
        case 'last':
          return (now) => w.first(now);
        case 'rate':
          return (now) => w.rate(now);
        default:
          break;
      }
    }
    if (e.name === 'age') {
      const s = env.slot((a0 as Extract<Expr, { kind: 'sig' }>).id);
      return (now) => (now - env.times[s]) / 1000;
    }
    const ops = e.args.map((a) => this.operand(a, sign));
    switch (e.name) {
      case 'abs': {
        const o = ops[0];
        if (o.kind === 'slot') {
          const s = o.slot;
          return () => Math.abs(env.values[s]);
        }
        const a = this.fn(o);
        return (now) => Math.abs(a(now));
      }
      case 'min':
      case 'max':
        return this.extreme(e.name, ops);
      default:
        throw new Error(`${e.name}() needs a signal and a window`);
    }
  }

  /** min/max of two or more values; NaN when any is NaN (Math.min/max). */
  private extreme(name: 'min' | 'max', ops: Operand[]): Evaluator {
    const env = this.env;
    const [lo, ro] = ops;
    if (ops.length === 2 && lo.kind === 'slot' && ro.kind === 'slot') {
      const a = lo.slot;
      const b = ro.slot;
      return name === 'min'
        ? () => Math.min(env.values[a], env.values[b])
        : () => Math.max(env.values[a], env.values[b]);
    }
    const args = ops.map((o) => this.fn(o));
    if (args.length === 2) {
      const [l, r] = args;
      return name === 'min' ? (now) => Math.min(l(now), r(now)) : (now) => Math.max(l(now), r(now));
    }
    return name === 'min'
      ? (now) => {
          let m = Infinity;
          for (let i = 0; i < args.length; i++) m = Math.min(m, args[i](now));
          return m;
        }
      : (now) => {
          let m = -Infinity;
          for (let i = 0; i < args.length; i++) m = Math.max(m, args[i](now));
          return m;
        };
  }
}
