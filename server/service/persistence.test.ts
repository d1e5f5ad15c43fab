import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/engine/namespace';
import {
  AUDIT_TAIL,
  appendAudit,
  decodeState,
  emptyState,
  encodeState,
  stateFileName,
  StateStore,
  type ServiceState,
} from './persistence';

const sample = (): ServiceState => ({
  ...emptyState('pump-station'),
  savedAt: 1000,
  seq: 2,
  publishedSeq: 1,
  alarms: [
    {
      id: 'pump1.overheat',
      message: 'Pump 1 bearing overheating',
      priority: 'high',
      signal: 'pump1.temp',
      state: 'acknowledged',
      value: 97,
      raisedAt: 900,
      acknowledgedAt: 950,
      acknowledgedBy: 'alice',
      conditionActive: true,
    },
  ],
  audit: [
    {
      v: 1,
      kind: 'alarm',
      seq: 1,
      t: 900,
      alarmId: 'pump1.overheat',
      event: 'raise',
      state: 'active',
      priority: 'high',
    },
  ],
});

const record = (seq: number): AuditRecord => ({
  v: 1,
  kind: 'alarm',
  seq,
  t: seq,
  alarmId: 'a',
  event: 'raise',
  state: 'active',
  priority: 'low',
});

describe('service state format', () => {
  it('reads back what it wrote', () => {
    expect(decodeState(encodeState(sample()), 'pump-station')).toEqual(sample());
  });

  it("refuses another twin's file, another version and damaged content, saying why", () => {
    const text = encodeState(sample());
    expect(decodeState(text, 'solar-farm')).toMatch(/belongs to twin "pump-station"/);
    expect(decodeState(text.replace('"v":1', '"v":2'), 'pump-station')).toMatch(/version 2/);
    expect(decodeState(text.slice(0, 40), 'pump-station')).toBe('not JSON');
    expect(decodeState(encodeState({ ...sample(), seq: -1 }), 'pump-station')).toMatch(/seq/);
    expect(decodeState(JSON.stringify({ ...sample(), alarms: [{ id: 3 }] }), 'pump-station')).toMatch(/alarms/);
  });

  it('keeps the newest records of the audit tail', () => {
    let tail: AuditRecord[] = [];
    for (let seq = 1; seq <= AUDIT_TAIL + 5; seq++) tail = appendAudit(tail, [record(seq)]);
    expect(tail).toHaveLength(AUDIT_TAIL);
    expect(tail[0].seq).toBe(6);
    expect(tail[tail.length - 1].seq).toBe(AUDIT_TAIL + 5);
  });

  it('names files safely whatever the twin id', () => {
    expect(stateFileName('pump-station')).toBe('pump-station');
    expect(stateFileName('../x/y')).not.toMatch(/[./]/);
  });
});

describe('StateStore', () => {
  it('tells a clean stop from a killed run by its running marker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-state-'));
    const first = new StateStore(dir, 'pump-station');
    expect(first.open(1)).toEqual({ state: emptyState('pump-station'), unclean: false });
    first.save(sample());
    first.close();
    expect(existsSync(first.marker)).toBe(false);

    const second = new StateStore(dir, 'pump-station');
    expect(second.open(2)).toEqual({ state: sample(), unclean: false });
    // Killed: no close(), the marker stays.
    expect(new StateStore(dir, 'pump-station').open(3).unclean).toBe(true);
  });

  it('puts an unreadable file aside and starts empty, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-state-'));
    const store = new StateStore(dir, 'pump-station');
    writeFileSync(store.file, '{"v":1,"twin":"pump-st');
    const loaded = store.open(1);
    expect(loaded.problem).toBe('not JSON');
    expect(loaded.state).toEqual(emptyState('pump-station'));
    expect(readFileSync(`${store.file}.bad`, 'utf8')).toBe('{"v":1,"twin":"pump-st');
  });
});

describe('StateStore held by a running service', () => {
  it('refuses a second service on the same twin and folder while the first process lives, naming it', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'twinview-state-'));
    const store = new StateStore(dir, 'pump-station');
    // A living process other than this one holds the marker.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(store.marker, JSON.stringify({ pid: other.pid, startedAt: 1 }));
      expect(() => store.open(2)).toThrow(`another service (pid ${other.pid}) is serving twin "pump-station"`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // Once it is gone, its marker only says it did not stop cleanly.
    expect(store.open(3).unclean).toBe(true);
  });
});
