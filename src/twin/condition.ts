/**
 * Rule conditions. This first version understands a comparison of one signal with a number,
 * "pump1.temp > 95"; errors carry the character position so editors and the CLI can point at it.
 */
export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface Condition {
  signal: string;
  op: Comparison;
  limit: number;
}

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; error: string; position: number };

const CONDITION = /^(\s*)([A-Za-z_][A-Za-z0-9_.-]*)(\s*)(>=|<=|==|!=|>|<)(\s*)(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseCondition(text: string): ParsedCondition {
  const match = CONDITION.exec(text);
  if (match) {
    return { ok: true, condition: { signal: match[2], op: match[4] as Comparison, limit: Number(match[6]) } };
  }
  // Find where it went wrong, for a precise message.
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  const sig = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(lead));
  if (!sig) return { ok: false, error: 'expected a signal id', position: lead };
  let pos = lead + sig[0].length;
  pos += /^\s*/.exec(text.slice(pos))?.[0].length ?? 0;
  const op = /^(>=|<=|==|!=|>|<)/.exec(text.slice(pos));
  if (!op) return { ok: false, error: 'expected a comparison (>, >=, <, <=, ==, !=)', position: pos };
  pos += op[0].length;
  pos += /^\s*/.exec(text.slice(pos))?.[0].length ?? 0;
  const num = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(text.slice(pos));
  if (!num) return { ok: false, error: 'expected a number', position: pos };
  return { ok: false, error: 'unexpected text after the condition', position: pos + num[0].length };
}

export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}
