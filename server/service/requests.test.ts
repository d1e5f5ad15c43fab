import { describe, expect, it } from 'vitest';
import type { AlarmAction } from '../../src/engine/protocol';
import { parseRequest, type ServiceRequest } from '../../src/engine/namespace';
import { applyRequest, noteTypedName, type AlarmTarget } from './requests';

/** Records what reached the engine; `accepts` decides what it returns. */
function target(accepts = true) {
  const calls: unknown[] = [];
  const engine: AlarmTarget = {
    acknowledge: (alarmId, operator, comment) => (calls.push({ ack: alarmId, operator, comment }), accepts),
    alarmAction: (action: AlarmAction) => (calls.push(action), accepts),
  };
  return { engine, calls };
}

const known = new Set(['pump1.overheat']);
const req = (text: object) => parseRequest(JSON.stringify({ v: 1, id: 'r1', ...text })) as ServiceRequest;

describe('applying a dashboard request', () => {
  it('records the user of the request topic as the operator, a typed name only as a note', () => {
    const { engine, calls } = target();
    const out = applyRequest(
      engine,
      known,
      req({ kind: 'acknowledge', alarmId: 'pump1.overheat', comment: 'checking', operator: 'Mallory' }),
      'alice',
    );
    expect(out.reply).toEqual({ v: 1, id: 'r1', ok: true });
    expect(calls).toEqual([
      { ack: 'pump1.overheat', operator: 'alice', comment: 'checking (name typed in the page: Mallory)' },
    ]);
  });

  it('overrides the operator of every alarm action with the user', () => {
    const { engine, calls } = target();
    const action = { kind: 'shelve', alarmId: 'pump1.overheat', durationMs: 60_000, operator: 'alice' };
    expect(applyRequest(engine, known, req({ kind: 'alarm-action', action }), 'alice').reply.ok).toBe(true);
    applyRequest(
      engine,
      known,
      req({ kind: 'alarm-action', action: { kind: 'reset', alarmId: 'pump1.overheat', operator: 'root' } }),
      'bob',
    );
    expect(calls).toEqual([
      { ...action, operator: 'alice', comment: undefined },
      { kind: 'reset', alarmId: 'pump1.overheat', operator: 'bob' },
    ]);
  });

  it('answers with an error that says why, for an unknown alarm or one not in a state to take the action', () => {
    const { engine, calls } = target(false);
    expect(applyRequest(engine, known, req({ kind: 'acknowledge', alarmId: 'nope' }), 'alice').reply).toEqual({
      v: 1,
      id: 'r1',
      ok: false,
      error: 'no alarm "nope" in this twin',
    });
    expect(calls).toEqual([]);
    const out = applyRequest(
      engine,
      known,
      req({ kind: 'alarm-action', action: { kind: 'unshelve', alarmId: 'pump1.overheat' } }),
      'alice',
    );
    expect(out.reply.error).toBe('unshelve does not apply to alarm "pump1.overheat" in its state');
  });

  it('turns a command-audit into a command record by the user, and refuses an incomplete one', () => {
    const { engine } = target();
    const record = {
      t: 5,
      commandId: 'pump1.stop',
      topic: 'plant/north/pump1/cmd',
      payload: '{"action":"stop"}',
      result: 'confirmed',
    };
    const out = applyRequest(
      engine,
      known,
      req({ kind: 'command-audit', record: { ...record, operator: 'mallory' } }),
      'alice',
    );
    expect(out.command).toEqual({ v: 1, kind: 'command', ...record, operator: 'alice' });
    const bad = applyRequest(
      engine,
      known,
      req({ kind: 'command-audit', record: { ...record, result: 'maybe' } }),
      'alice',
    );
    expect(bad.reply.ok).toBe(false);
    expect(bad.reply.error).toMatch(/result must be one of/);
    expect(bad.command).toBeUndefined();
  });

  it('keeps a typed name only when it differs from the user', () => {
    expect(noteTypedName('alice', 'alice', 'ok')).toBe('ok');
    expect(noteTypedName('alice', ' ', undefined)).toBeUndefined();
    expect(noteTypedName('alice', 'Bob', undefined)).toBe('(name typed in the page: Bob)');
  });
});
