/**
 * Paths into a decoded JSON value, as written in twin files: "bearing.temp", "readings[0].value",
 * "[2]" (the payload is an array). Parsed once when a twin loads; reading a path allocates nothing.
 */
export type PathStep = string | number;

export type ParsedValuePath = { ok: true; steps: PathStep[] } | { ok: false; error: string; position: number };

const NAME = /^[^.[\]]+/;
const INDEX = /^\[(\d+)\]/;

/** Parses a value path; an empty path means the whole value. */
export function parseValuePath(path: string): ParsedValuePath {
  const steps: PathStep[] = [];
  let pos = 0;
  if (path === '') return { ok: true, steps };
  while (pos < path.length) {
    const rest = path.slice(pos);
    const name = NAME.exec(rest);
    if (name) {
      steps.push(name[0]);
      pos += name[0].length;
    } else if (pos !== 0 || !rest.startsWith('[')) {
      // A leading "[n]" indexes a payload that is an array; elsewhere a name must come first.
      return {
        ok: false,
        error: pos === 0 ? 'expected a field name or [index]' : 'expected a field name',
        position: pos,
      };
    }
    for (let index = INDEX.exec(path.slice(pos)); index; index = INDEX.exec(path.slice(pos))) {
      steps.push(Number(index[1]));
      pos += index[0].length;
    }
    if (pos === path.length) break;
    if (path[pos] === '[') return { ok: false, error: 'expected an index such as [0]', position: pos };
    if (path[pos] !== '.') return { ok: false, error: 'expected "." or [index]', position: pos };
    pos++;
    if (pos === path.length) return { ok: false, error: 'expected a field name after "."', position: pos };
  }
  return { ok: true, steps };
}

/** Sentinel for a path that does not exist in a value (JSON cannot produce a symbol). */
export const MISSING: unique symbol = Symbol('missing');

/**
 * Follows steps into a value. Only own fields of objects and indices of arrays count, so "length"
 * or "__proto__" in a path never reaches into the prototype chain.
 */
export function readValuePath(value: unknown, steps: readonly PathStep[]): unknown {
  let current = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return MISSING;
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return MISSING;
      if (!Object.prototype.hasOwnProperty.call(current, step)) return MISSING;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
