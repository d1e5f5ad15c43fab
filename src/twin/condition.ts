/**
 * Rule conditions as the twin validator sees them: an expression of the rule language
 * (src/expr), e.g. "pump1.temp > 95" or "avg(tank1.level, 5m) > 80 && pump1.running == 0".
 * Errors carry the character position so editors and the CLI can point at it.
 */
import { ExprError, parseExpr, signalsOf, type Expr } from '../expr/parse';

export type ParsedCondition =
  { ok: true; expr: Expr; signals: string[] } | { ok: false; error: string; position: number };

export function parseCondition(text: string): ParsedCondition {
  try {
    const expr = parseExpr(text);
    return { ok: true, expr, signals: signalsOf(expr) };
  } catch (err) {
    if (err instanceof ExprError) return { ok: false, error: err.reason, position: err.position };
    throw err;
  }
}
