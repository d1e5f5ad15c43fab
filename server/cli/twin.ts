/**
 * The twin CLI: `npm run twin -- <command> [args]`. Commands live in a table, one module each, so
 * new ones (watch, backtest, from-sparkplug, ...) are one entry more.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUsageError } from '../flags';
import { EXIT_OK, EXIT_USAGE, processIo, type CliCommand, type CliIo } from './command';
import { validateCommand } from './validate';
import { schemaCommand } from './schema';
import { backtestCommand } from './backtest';
import { watchCommand } from './watch';
import { fromSparkplugCommand } from './from-sparkplug';
import { fromWotCommand } from './from-wot';
import { fromDtdlCommand } from './from-dtdl';
import { serveCommand } from './serve';

export const commands: readonly CliCommand[] = [
  validateCommand,
  schemaCommand,
  watchCommand,
  backtestCommand,
  fromSparkplugCommand,
  fromWotCommand,
  fromDtdlCommand,
  serveCommand,
];

export function usage(): string {
  const width = Math.max(...commands.map((c) => `${c.name} ${c.synopsis}`.length));
  const lines = commands.map((c) => `  ${`${c.name} ${c.synopsis}`.padEnd(width)}  ${c.summary}`);
  return `Usage: npm run twin -- <command> [args]

Commands:
${lines.join('\n')}

Run "npm run twin -- <command> --help" for a command's details.
Exit status: 0 ok, 1 problems found, 2 bad arguments or unreadable files.`;
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** Runs the CLI with the arguments after the script name; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || isHelp(name)) {
    // "help <command>" shows that command's help.
    const command = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    io.out(command ? command.help : usage());
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`twin: unknown command "${name}"\n`);
    io.err(usage());
    return EXIT_USAGE;
  }
  if (args.some(isHelp)) {
    io.out(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (!isUsageError(err)) throw err;
    io.err(`twin ${command.name}: ${err.message}\n`);
    io.err(command.help);
    return EXIT_USAGE;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = EXIT_USAGE;
    },
  );
}
