/**
 * The editor's Import section: what a WoT Thing Description or DTDL interface importer made
 * (src/twin/importers) merged into the draft. Signals and commands are appended with ids made unique
 * against the draft's, the draft's subscriptions grow by the imported filters it does not cover,
 * and every change of the importer's output (a renamed id, a broker kept) is a note beside the
 * importer's own: nothing is dropped silently. Pure: the section runs it inside one undo step.
 */
import type { TwinInput } from '../twin/schema';
import type { ImportNote } from '../twin/importers/common';
import { filterCovers } from '../lib/topicPattern';

type Json = Record<string, unknown>;

export interface MergeOutcome {
  signals: number;
  commands: number;
  /** Notes the merge adds (path "$" of the draft: these are about the draft, not the source). */
  notes: ImportNote[];
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function arrayField(doc: Json, key: string): unknown[] {
  if (!Array.isArray(doc[key])) doc[key] = [];
  return doc[key] as unknown[];
}

/** An id not yet used: "x", then "x_2", "x_3"... (before a "{capture}" template's end stays valid). */
function uniqueId(id: string, used: Set<string>): string {
  let out = id;
  for (let n = 2; used.has(out); n++) out = `${id}_${n}`;
  used.add(out);
  return out;
}

function idsOf(items: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) if (isObject(item) && typeof item.id === 'string') out.add(item.id);
  return out;
}

/** Merges an importer's twin into the draft document (mutated), returning what it did. */
export function mergeImport(doc: Json, imported: TwinInput): MergeOutcome {
  const notes: ImportNote[] = [];
  const signals = arrayField(doc, 'signals');
  const commands = arrayField(doc, 'commands');
  const signalIds = idsOf(signals);
  const commandIds = idsOf(commands);
  // Imported ids that were renamed, so the commands' and panels' references can follow.
  const renamed = new Map<string, string>();

  for (const s of imported.signals ?? []) {
    const id = uniqueId(s.id, signalIds);
    if (id !== s.id) {
      renamed.set(s.id, id);
      notes.push({ path: '$', message: `signal "${s.id}" is "${id}": the draft already has a signal "${s.id}"` });
    }
    signals.push({ ...structuredClone(s), id });
  }
  for (const c of imported.commands ?? []) {
    const id = uniqueId(c.id, commandIds);
    if (id !== c.id)
      notes.push({ path: '$', message: `command "${c.id}" is "${id}": the draft already has a command "${c.id}"` });
    commands.push({ ...structuredClone(c), id });
  }

  // The draft keeps its broker; the imported subscriptions it does not cover are added.
  if (!isObject(doc.connection)) doc.connection = {};
  const connection = doc.connection as Json;
  const from = imported.connection;
  if (typeof connection.url !== 'string' || connection.url === '') connection.url = from.url;
  else if (connection.url !== from.url)
    notes.push({
      path: '$',
      message: `the draft keeps its broker ${connection.url}; the imported document named ${from.url}`,
    });
  const subscribe = arrayField(connection, 'subscribe');
  const filters = subscribe
    .map((f) => (typeof f === 'string' ? f : isObject(f) && typeof f.topic === 'string' ? f.topic : null))
    .filter((f): f is string => f !== null);
  for (const f of from.subscribe) {
    const topic = typeof f === 'string' ? f : f.topic;
    if (filters.some((have) => filterCovers(have, topic))) continue;
    subscribe.push(typeof f === 'string' ? f : { ...f });
    filters.push(topic);
  }

  // The importer's values panel, with its ids as renamed.
  for (const panel of imported.panels ?? []) {
    arrayField(doc, 'panels').push({ ...panel, signals: panel.signals.map((id) => renamed.get(id) ?? id) });
  }
  return { signals: imported.signals?.length ?? 0, commands: imported.commands?.length ?? 0, notes };
}
