/** JSON paths as the validator writes them ("$.signals[2].topic"), for routing focus to a field. */

/** A predicate owning the given top-level fields: under('signals') owns "$.signals" and "$.signals[3].topic". */
export function under(...fields: string[]): (path: string) => boolean {
  return (path) =>
    fields.some((f) => {
      const head = `$.${f}`;
      return path === head || path.startsWith(`${head}[`) || path.startsWith(`${head}.`);
    });
}

/** The path one step up ("$.a[2].b" -> "$.a[2]" -> "$.a" -> "$"), null above "$". */
export function parentPath(path: string): string | null {
  const m = /^(.*)(\.[A-Za-z_$][A-Za-z0-9_$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\])$/.exec(path);
  return m && m[1] ? m[1] : null;
}
