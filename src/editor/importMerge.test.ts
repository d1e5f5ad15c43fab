import { describe, expect, it } from 'vitest';
import gasSensor from '../twin/importers/fixtures/gas-sensor.td.json';
import thermostat from '../twin/importers/fixtures/thermostat.dtdl.json';
import { twinFromThingDescription } from '../twin/importers/wot';
import { twinFromDtdl } from '../twin/importers/dtdl';
import { validateTwin } from '../twin/validate';
import { mergeImport } from './importMerge';

const draft = () => ({
  id: 'plant',
  title: 'Plant',
  connection: { url: 'ws://127.0.0.1:9001', subscribe: ['plant/#'] },
  signals: [{ id: 'concentration', topic: 'plant/gas', path: 'ppm' }],
  commands: [],
});

function wot() {
  const result = twinFromThingDescription(gasSensor);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('merging an import into the draft', () => {
  it('appends the signals and commands, with ids made unique against the draft, and says so', () => {
    const doc: Record<string, unknown> = draft();
    const imported = wot();
    const out = mergeImport(doc, imported.twin);
    const ids = (doc.signals as { id: string }[]).map((s) => s.id);
    expect(ids[0]).toBe('concentration');
    expect(ids).toContain('concentration_2');
    expect(new Set(ids).size).toBe(ids.length);
    expect(out.signals).toBe(imported.twin.signals!.length);
    expect(out.commands).toBe(imported.twin.commands!.length);
    expect(out.notes.map((n) => n.message)).toContain(
      'signal "concentration" is "concentration_2": the draft already has a signal "concentration"',
    );
    expect(validateTwin(doc)).toMatchObject({ ok: true });
  });

  it('keeps the draft broker (noted when it differs) and adds only the subscriptions it does not cover', () => {
    const doc: Record<string, unknown> = draft();
    const out = mergeImport(doc, wot().twin);
    const connection = doc.connection as { url: string; subscribe: unknown[] };
    expect(connection.url).toBe('ws://127.0.0.1:9001');
    expect(out.notes.some((n) => n.message.startsWith('the draft keeps its broker ws://127.0.0.1:9001'))).toBe(true);
    expect(connection.subscribe[0]).toBe('plant/#');
    expect(connection.subscribe.length).toBeGreaterThan(1);
    // Merging again adds nothing to subscribe: everything is covered.
    const before = connection.subscribe.length;
    mergeImport(doc, wot().twin);
    expect(connection.subscribe).toHaveLength(before);
  });

  it('a new twin without a broker takes the imported one', () => {
    const doc: Record<string, unknown> = { id: 'x', title: 'X' };
    const result = twinFromDtdl(thermostat, { topic: 'home/+site/{name}', broker: 'ws://127.0.0.1:9001' });
    if (!result.ok) throw new Error(result.error);
    const out = mergeImport(doc, result.twin);
    expect((doc.connection as { url: string }).url).toBe('ws://127.0.0.1:9001');
    expect(out.notes).toEqual([]);
    expect(validateTwin(doc)).toMatchObject({ ok: true });
  });
});
