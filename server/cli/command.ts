/** The shape of a `npm run twin -- <command>` subcommand: a small table entry the CLI dispatches to. */

/** Where a command writes: results to `out` (stdout), diagnostics about the run itself to `err` (stderr). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  name: string;
  /** Argument synopsis for the usage text, e.g. "<file...>". */
  synopsis: string;
  /** One line for the command list. */
  summary: string;
  /** Full help for `<command> --help`. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** The input has problems (an invalid twin, an out-of-date schema). */
export const EXIT_PROBLEMS = 1;
/** The command could not do its job: bad arguments, a missing or unreadable file. */
export const EXIT_USAGE = 2;

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
