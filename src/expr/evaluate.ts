/**
 * Turns a parsed expression into a tree of small closures (built once per rule, no allocation per
 * evaluation). Values are numbers; a comparison or logic gives 1 or 0; a signal without a value yet
 * is NaN, and a comparison with NaN is false, so a rule never raises on data it has not seen.
 */
import type { Expr } from './parse';
import type { SignalWindow } from './window';

export type Evaluator = (now: number) => number;

/** Where compiled expressions read signals. Slots are resolved once, at compile time. */
export interface ExprEnv {
  slot(id: string): number;
  value(slot: number): number;
  /**
   * Time (ms) of the slot's latest value; before the first, when the engine started, so a stale rule
   * fires for a signal that never arrives, but not at start-up.
   */
  time(slot: number): number;
  window(id: string, ms: number): SignalWindow;
}

export interface CompileOptions {
  /**
   * Hysteresis: shift every comparison's limit by this much in the direction that keeps it true
   * (x > 95 holds while x > 95 - deadband). Used for the "stay raised" form of a rule's condition.
   */
  deadband?: number;
}

export function compileExpr(expr: Expr, env: ExprEnv, options: CompileOptions = {}): Evaluator {
  const deadband = options.deadband ?? 0;
  // `sign` flips under "not", where keeping the inner comparison true means tightening it.
  const c = (e: Expr, sign: number): Evaluator => {
    switch (e.kind) {
      case 'num': {
        const v = e.value;
        return () => v;
      }
      case 'dur': {
        const v = e.ms / 1000;
        return () => v;
      }
      case 'sig': {
        const slot = env.slot(e.id);
        return () => env.value(slot);
      }
      case 'neg': {
        const a = c(e.arg, sign);
        return (now) => -a(now);
      }
      case 'not': {
        const a = c(e.arg, -sign);
        return (now) => (truthy(a(now)) ? 0 : 1);
      }
      case 'and': {
        const l = c(e.left, sign);
        const r = c(e.right, sign);
        return (now) => (truthy(l(now)) && truthy(r(now)) ? 1 : 0);
      }
      case 'or': {
        const l = c(e.left, sign);
        const r = c(e.right, sign);
        return (now) => (truthy(l(now)) || truthy(r(now)) ? 1 : 0);
      }
      case 'arith': {
        const l = c(e.left, sign);
        const r = c(e.right, sign);
        switch (e.op) {
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
        break;
      }
      case 'cmp': {
        const l = c(e.left, sign);
        const r = c(e.right, sign);
        const d = deadband * sign;
        switch (e.op) {
          case '>':
            return (now) => (l(now) > r(now) - d ? 1 : 0);
          case '>=':
            return (now) => (l(now) >= r(now) - d ? 1 : 0);
          case '<':
            return (now) => (l(now) < r(now) + d ? 1 : 0);
          case '<=':
            return (now) => (l(now) <= r(now) + d ? 1 : 0);
          case '==':
            return (now) => (l(now) === r(now) ? 1 : 0);
          case '!=':
            return (now) => {
              const a = l(now);
              const b = r(now);
              return a === a && b === b && a !== b ? 1 : 0;
            };
        }
        break;
      }
      case 'call':
        return call(e, sign);
    }
    throw new Error('unreachable');
  };

  const call = (e: Extract<Expr, { kind: 'call' }>, sign: number): Evaluator => {
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
    const args = e.args.map((a) => c(a, sign));
    switch (e.name) {
      case 'abs': {
        const a = args[0];
        return (now) => Math.abs(a(now));
      }
      case 'min':
        return (now) => {
          let m = Infinity;
          for (let i = 0; i < args.length; i++) m = Math.min(m, args[i](now));
          return m;
        };
      case 'max':
        return (now) => {
          let m = -Infinity;
          for (let i = 0; i < args.length; i++) m = Math.max(m, args[i](now));
          return m;
        };
      case 'age': {
        const slot = env.slot((a0 as Extract<Expr, { kind: 'sig' }>).id);
        return (now) => (now - env.time(slot)) / 1000;
      }
      default:
        throw new Error(`${e.name}() needs a signal and a window`);
    }
  };

  return c(expr, 1);
}

/** NaN counts as false: no data, no alarm. */
export function truthy(v: number): boolean {
  return v !== 0 && v === v;
}
