/**
 * `twin from-wot <thing-description.json>`: a W3C WoT Thing Description with MQTT forms as a starting
 * twin (src/twin/importers/wot.ts does the work). Everything not imported is printed, one line each.
 */
import { parseArgs } from 'node:util';
import { twinFromThingDescription } from '../../src/twin/importers/wot';
import { brokerUrlFlag, UsageError } from '../flags';
import type { CliCommand, CliIo } from './command';
import { checkId, finishImport, idFromOut, readJsonSource } from './import-output';

const HELP = `Usage: npm run twin -- from-wot <thing-description.json> [--out FILE] [--title T] [--id ID] [--broker URL]

Reads a W3C WoT Thing Description (TD 1.1) whose forms use MQTT (the WoT MQTT binding: an href
mqtt://broker[:port][/topic], mqv:filter, mqv:topic, mqv:controlPacket, mqv:qos, op) and writes a
starting twin.json:

  properties and events   a signal each (topic from mqv:filter, else mqv:topic, else the href's
                          path); an object schema gives one signal per field with its JSON path;
                          unit from "unit", range from minimum/maximum, states from a string enum
  writable properties     a "<name>.set" command publishing to the write form's topic
  actions                 a command; its parameters from "input" (numbers with their limits,
                          integers in whole steps, booleans, string enums, or an object of those)

and a values panel of the signals. Anything not imported (HTTP or CoAP forms, arrays, oneOf,
URI variables, security schemes, ...) is printed on stderr, one line each,
"<file>: <json path>: <message>". Without --out the twin is printed. The id is --id, else the
folder --out writes into, else the TD's title. The twin connects to --broker (ws:// or wss://),
else to the forms' broker with ws:// on the same port (mqtts: wss://).

Exit status: 0 twin written (notes or not), 1 nothing could be imported, 2 bad arguments or an
unreadable file.`;

export async function fromWot(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      title: { type: 'string' },
      id: { type: 'string' },
      broker: { type: 'string' },
    },
  });
  checkId(values.id);
  if (positionals.length !== 1) throw new UsageError('name one Thing Description file');
  const broker = values.broker === undefined ? undefined : brokerUrlFlag('broker', values.broker, ['ws', 'wss']);
  const source = positionals[0];
  const read = await readJsonSource(source);
  if (!read.ok) return finishImport(source, { ok: false, unreadable: read.error }, values.out, io);
  const result = twinFromThingDescription(read.doc, {
    id: values.id ?? idFromOut(values.out),
    title: values.title,
    broker,
  });
  return finishImport(source, result, values.out, io);
}

export const fromWotCommand: CliCommand = {
  name: 'from-wot',
  synopsis: '<thing-description.json> [--out FILE]',
  summary: 'write a starting twin.json from a W3C WoT Thing Description with MQTT forms',
  help: HELP,
  run: (args, io) => fromWot(args, io),
};
