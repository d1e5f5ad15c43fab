/**
 * One round of the rules workload in Node, in a process of its own: `node <this, bundled> <messages>`
 * (or through tsx). Prints the round's RulesBenchResult as JSON on stdout. bench/rules.ts runs it.
 */
import { runRound } from './rulesCore';

const messages = Number(process.argv[2] ?? '300000');
if (!(messages > 0)) throw new Error(`usage: rulesNode <messages>, got ${process.argv[2]}`);
process.stdout.write(`${JSON.stringify(runRound(messages))}\n`);
