/** A path as one POSIX shell argument: quoted only when a shell would split or expand it. */
export function shellArg(path: string): string {
  return /^[\w./@:+,=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
