/**
 * Writes models/twin.schema.json from the zod schema (src/twin/schema.ts); `--check` exits 1 when the
 * committed file is out of date. The same as `npm run twin -- schema [--check]`, which CI runs.
 *
 *   npx tsx tools/gen-schema.ts [--check]
 */
import { processIo } from '../server/cli/command';
import { schemaCommand } from '../server/cli/schema';

process.exitCode = await schemaCommand.run(process.argv.slice(2), processIo).catch((err: unknown) => {
  processIo.err(`gen-schema: ${err instanceof Error ? err.message : String(err)}`);
  return 2;
});
