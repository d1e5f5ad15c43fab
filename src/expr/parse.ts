/**
 * The rule expression language: a tokenizer and a recursive-descent parser to a small tree. It is
 * parsed and evaluated by our own code, never `eval` or `new Function`, so a twin file cannot run
 * code. Every error carries the 0-based character position it refers to.
 *
 *   expr  := or
 *   or    := and (("||" | "or") and)*
 *   and   := not (("&&" | "and") not)*
 *   not   := ("!" | "not") not | cmp
 *   cmp   := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
 *   sum   := prod (("+" | "-") prod)*
 *   prod  := unary (("*" | "/" | "%") unary)*
 *   unary := "-" unary | atom
 *   atom  := number | duration | "true" | "false" | signal | name "(" args ")" | "(" expr ")"
 *
 * Signals are ids such as `pump1.temp` or `motor-a.temp` (so subtraction needs spaces: `a - b`); ids
 * with other characters are written in backticks.
 */

export type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | { kind: 'num'; value: number; pos: number }
  /** A duration literal ("30s"); a window length as a function argument, else its value in seconds. */
  | { kind: 'dur'; ms: number; pos: number }
  | { kind: 'sig'; id: string; pos: number }
  | { kind: 'call'; name: FunctionName; args: Expr[]; pos: number }
  | { kind: 'neg' | 'not'; arg: Expr; pos: number }
  | { kind: 'cmp'; op: CompareOp; left: Expr; right: Expr; pos: number }
  | { kind: 'arith'; op: ArithOp; left: Expr; right: Expr; pos: number }
  | { kind: 'and' | 'or'; left: Expr; right: Expr; pos: number };

/**
 * Functions. `min`/`max` take two or more values, or a signal and a window (`max(x, 5m)`); `avg`,
 * `last` (the value at the start of the window) and `rate` (change per second over the window) take
 * a signal and a window; `age` is seconds since a signal's last value.
 */
export const FUNCTIONS = ['abs', 'min', 'max', 'avg', 'last', 'rate', 'age'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export class ExprError extends Error {
  constructor(
    readonly reason: string,
    /** 0-based character position. */
    readonly position: number,
  ) {
    super(`${reason} at character ${position + 1}`);
  }
}

type Token =
  | { t: 'num'; value: number; pos: number }
  | { t: 'dur'; ms: number; pos: number }
  | { t: 'id'; text: string; quoted: boolean; pos: number }
  | { t: 'op'; text: string; pos: number }
  | { t: 'end'; pos: number };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const UNIT = /(ms|s|m|h)(?![A-Za-z0-9_])/y;
// A "-" followed by a letter stays in the id ("motor-a.temp"), as twin ids allow it: write "a - b" to subtract.
const IDENT = /[A-Za-z_][A-Za-z0-9_.]*(?:-[A-Za-z_][A-Za-z0-9_.]*)*/y;
const OPS = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', ','];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      const end = i + num[0].length;
      UNIT.lastIndex = end;
      const unit = UNIT.exec(text);
      if (unit) {
        out.push({ t: 'dur', ms: Number(num[0]) * UNIT_MS[unit[1]], pos: i });
        i = end + unit[0].length;
      } else {
        if (/[A-Za-z_]/.test(text[end] ?? '')) throw new ExprError('expected a duration unit (ms, s, m, h)', end);
        out.push({ t: 'num', value: Number(num[0]), pos: i });
        i = end;
      }
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new ExprError('unclosed `', i);
      if (close === i + 1) throw new ExprError('empty signal id', i);
      out.push({ t: 'id', text: text.slice(i + 1, close), quoted: true, pos: i });
      i = close + 1;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(text);
    if (id) {
      if (id[0].endsWith('.')) throw new ExprError('a signal id cannot end with "."', i + id[0].length - 1);
      out.push({ t: 'id', text: id[0], quoted: false, pos: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op === undefined) {
      throw new ExprError(c === '=' ? 'use "==" to compare' : `unexpected character "${c}"`, i);
    }
    out.push({ t: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ t: 'end', pos: text.length });
  return out;
}

const COMPARE = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** Parses an expression; throws ExprError with the position of the first problem. */
export function parseExpr(text: string): Expr {
  const tokens = tokenize(text);
  let k = 0;
  const peek = () => tokens[k];
  const isOp = (text: string) => {
    const tok = tokens[k];
    return (tok.t === 'op' && tok.text === text) || (tok.t === 'id' && !tok.quoted && tok.text === wordOf(text));
  };
  const describe = (tok: Token) =>
    tok.t === 'end' ? 'the end' : tok.t === 'op' ? `"${tok.text}"` : tok.t === 'id' ? `"${tok.text}"` : 'a number';

  const or = (): Expr => {
    let left = and();
    while (isOp('||')) {
      const pos = tokens[k++].pos;
      left = { kind: 'or', left, right: and(), pos };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isOp('&&')) {
      const pos = tokens[k++].pos;
      left = { kind: 'and', left, right: not(), pos };
    }
    return left;
  };
  const not = (): Expr => {
    if (isOp('!')) {
      const pos = tokens[k++].pos;
      return { kind: 'not', arg: not(), pos };
    }
    return cmp();
  };
  const cmp = (): Expr => {
    const left = sum();
    const tok = peek();
    if (tok.t === 'op' && COMPARE.has(tok.text)) {
      k++;
      const right = sum();
      const next = peek();
      if (next.t === 'op' && COMPARE.has(next.text)) {
        throw new ExprError('comparisons cannot be chained; join them with && or ||', next.pos);
      }
      return { kind: 'cmp', op: tok.text as CompareOp, left, right, pos: tok.pos };
    }
    return left;
  };
  const sum = (): Expr => {
    let left = prod();
    for (let tok = peek(); tok.t === 'op' && (tok.text === '+' || tok.text === '-'); tok = peek()) {
      k++;
      left = { kind: 'arith', op: tok.text as ArithOp, left, right: prod(), pos: tok.pos };
    }
    return left;
  };
  const prod = (): Expr => {
    let left = unary();
    for (let tok = peek(); tok.t === 'op' && (tok.text === '*' || tok.text === '/' || tok.text === '%'); tok = peek()) {
      k++;
      left = { kind: 'arith', op: tok.text as ArithOp, left, right: unary(), pos: tok.pos };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      const pos = tokens[k++].pos;
      return { kind: 'neg', arg: unary(), pos };
    }
    return atom();
  };
  const atom = (): Expr => {
    const tok = tokens[k];
    switch (tok.t) {
      case 'num':
        k++;
        return { kind: 'num', value: tok.value, pos: tok.pos };
      case 'dur':
        k++;
        return { kind: 'dur', ms: tok.ms, pos: tok.pos };
      case 'id': {
        k++;
        if (!tok.quoted && (tok.text === 'true' || tok.text === 'false')) {
          return { kind: 'num', value: tok.text === 'true' ? 1 : 0, pos: tok.pos };
        }
        if (!tok.quoted && ['and', 'or', 'not'].includes(tok.text)) {
          throw new ExprError(`expected a value, found "${tok.text}"`, tok.pos);
        }
        const open = peek();
        if (tok.quoted || open.t !== 'op' || open.text !== '(') return { kind: 'sig', id: tok.text, pos: tok.pos };
        if (!(FUNCTIONS as readonly string[]).includes(tok.text)) {
          throw new ExprError(`unknown function "${tok.text}" (known: ${FUNCTIONS.join(', ')})`, tok.pos);
        }
        k++;
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(or());
          while (isOp(',')) {
            k++;
            args.push(or());
          }
        }
        if (!isOp(')')) throw new ExprError(`expected "," or ")", found ${describe(peek())}`, peek().pos);
        k++;
        const call: Expr = { kind: 'call', name: tok.text as FunctionName, args, pos: tok.pos };
        checkCall(call);
        return call;
      }
      case 'op':
        if (tok.text === '(') {
          k++;
          const inner = or();
          if (!isOp(')')) throw new ExprError(`expected ")", found ${describe(peek())}`, peek().pos);
          k++;
          return inner;
        }
        throw new ExprError(`expected a value, found "${tok.text}"`, tok.pos);
      case 'end':
        throw new ExprError(
          tokens.length === 1 ? 'the expression is empty' : 'expected a value, found the end',
          tok.pos,
        );
    }
  };

  const tree = or();
  const rest = peek();
  if (rest.t !== 'end') throw new ExprError(`unexpected ${describe(rest)}`, rest.pos);
  return tree;
}

/** The keyword spelling of an operator ("and" for "&&"), or null. */
function wordOf(op: string): string | null {
  return op === '&&' ? 'and' : op === '||' ? 'or' : op === '!' ? 'not' : null;
}

const isWindow = (args: Expr[]) => args.length === 2 && args[0].kind === 'sig' && args[1].kind === 'dur';

/** Arity and argument kinds, checked at parse time so a twin with a bad call never loads. */
function checkCall(call: Extract<Expr, { kind: 'call' }>): void {
  const { name, args, pos } = call;
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new ExprError(`${name}() takes ${what}`, pos);
  };
  switch (name) {
    case 'abs':
      need(args.length === 1, 'one value');
      break;
    case 'min':
    case 'max':
      need(isWindow(args) || args.length >= 2, 'two or more values, or a signal and a window such as 5m');
      break;
    case 'avg':
    case 'last':
    case 'rate':
      need(isWindow(args), 'a signal and a window, such as (pump1.temp, 5m)');
      if (args[1].kind === 'dur' && args[1].ms <= 0) throw new ExprError('a window must be longer than 0', args[1].pos);
      break;
    case 'age':
      need(args.length === 1 && args[0].kind === 'sig', 'one signal');
      break;
  }
  for (const a of args) {
    if (a.kind === 'dur' && !isWindow(args)) throw new ExprError('a duration here must be a window', a.pos);
  }
}

/** Every signal id an expression reads, in order of first use. */
export function signalsOf(expr: Expr, out: string[] = []): string[] {
  switch (expr.kind) {
    case 'sig':
      if (!out.includes(expr.id)) out.push(expr.id);
      break;
    case 'call':
      for (const a of expr.args) signalsOf(a, out);
      break;
    case 'neg':
    case 'not':
      signalsOf(expr.arg, out);
      break;
    case 'cmp':
    case 'arith':
    case 'and':
    case 'or':
      signalsOf(expr.left, out);
      signalsOf(expr.right, out);
      break;
    case 'num':
    case 'dur':
      break;
  }
  return out;
}
