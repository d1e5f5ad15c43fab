/**
 * `twin from-dtdl <interface.json> --topic <pattern>`: a DTDL v3 Interface as a starting twin, with
 * the topic convention given here (src/twin/importers/dtdl.ts does the work). Everything not
 * imported is printed, one line each.
 */
import { parseArgs } from 'node:util';
import { topicPatternProblem, twinFromDtdl } from '../../src/twin/importers/dtdl';
import { brokerUrlFlag, UsageError } from '../flags';
import type { CliCommand, CliIo } from './command';
import { checkId, finishImport, idFromOut, readJsonSource } from './import-output';

const HELP = `Usage: npm run twin -- from-dtdl <interface.json> --topic PATTERN [--command-topic PATTERN] [--path P]
                                [--broker URL] [--out FILE] [--title T] [--id ID]

Reads a DTDL v3 (or v2) Interface (a file with one, or an array of them) and writes a starting
twin.json. DTDL does not say where a device publishes, so the topics come from patterns:

  --topic PATTERN          where telemetry and properties are read, e.g. 'plant/+site/{interface}/{name}'
  --command-topic PATTERN  where commands and property writes are published (default: the
                           --topic pattern followed by "/set", or by "/{name}" when it has no {name})
  --path P                 where the value sits in each message, e.g. '{name}' when one JSON message
                           carries every value as a field (default: the message is the value)

Placeholders: {name} the content's name (in --topic, or in --path when one message carries every
value; always in --command-topic), {interface} the interface's name
(the last part of its DTMI: "Thermostat"), {kind} "telemetry", "property" or "command". A "+name"
level captures a device name, so one twin covers many devices: ids become "{name}.temperature",
and in --command-topic the level is filled from it (write "+site" or "{site}").

  Telemetry, Property      a signal (number, boolean or text from the schema; unit symbols from
                           "unit"; an Object's fields as JSON paths; a string Enum's states)
  writable Property        a "<name>.set" command with its value as the parameter
  Command                  a command; its parameter from "request" (numbers, booleans, string
                           Enums, or an Object of those)

Anything not imported (Relationships, Components, Maps, Arrays, extends, ...) is printed on stderr,
one line each, "<file>: <json path>: <message>". --broker is the twin's broker (ws:// or wss://,
default ws://127.0.0.1:9001). Without --out the twin is printed; the id is --id, else the folder
--out writes into, else the interface's display name.

Exit status: 0 twin written (notes or not), 1 nothing could be imported, 2 bad arguments or an
unreadable file.`;

export async function fromDtdl(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      topic: { type: 'string' },
      'command-topic': { type: 'string' },
      path: { type: 'string' },
      broker: { type: 'string' },
      out: { type: 'string' },
      title: { type: 'string' },
      id: { type: 'string' },
    },
  });
  checkId(values.id);
  if (positionals.length !== 1) throw new UsageError('name one DTDL interface file');
  if (values.topic === undefined)
    throw new UsageError("give the topic convention, e.g. --topic 'plant/{interface}/{name}'");
  const topicProblem = topicPatternProblem(values.topic, false, values.path?.includes('{name}'));
  if (topicProblem) throw new UsageError(`--topic "${values.topic}": ${topicProblem}`);
  const commandTopic = values['command-topic'];
  const commandProblem = commandTopic === undefined ? null : topicPatternProblem(commandTopic, true);
  if (commandProblem) throw new UsageError(`--command-topic "${commandTopic}": ${commandProblem}`);
  const broker = brokerUrlFlag('broker', values.broker ?? 'ws://127.0.0.1:9001', ['ws', 'wss']);
  const source = positionals[0];
  const read = await readJsonSource(source);
  if (!read.ok) return finishImport(source, { ok: false, unreadable: read.error }, values.out, io);
  const result = twinFromDtdl(read.doc, {
    topic: values.topic,
    commandTopic,
    path: values.path,
    broker,
    id: values.id ?? idFromOut(values.out),
    title: values.title,
  });
  return finishImport(source, result, values.out, io);
}

export const fromDtdlCommand: CliCommand = {
  name: 'from-dtdl',
  synopsis: "<interface.json> --topic '<pattern>'",
  summary: 'write a starting twin.json from a DTDL v3 interface and a topic convention',
  help: HELP,
  run: (args, io) => fromDtdl(args, io),
};
