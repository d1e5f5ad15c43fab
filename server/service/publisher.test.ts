import { describe, expect, it } from 'vitest';
import type { AlarmSnapshot } from '../../src/engine/protocol';
import type { AuditRecord } from '../../src/engine/namespace';
import type { PublishResult } from '../../src/engine/connection';
import { alarmDiff, OUTBOX_CAPACITY, SharedStatePublisher } from './publisher';

const alarm = (id: string, state: AlarmSnapshot['state'] = 'active'): AlarmSnapshot => ({
  id,
  message: id,
  priority: 'high',
  signal: 's',
  state,
  value: 1,
  raisedAt: 10,
});
const audit = (seq: number): AuditRecord => ({
  v: 1,
  kind: 'alarm',
  seq,
  t: seq,
  alarmId: 'a',
  event: 'raise',
  state: 'active',
  priority: 'high',
});

/** A broker stand-in that accepts publishes while `up`. */
function broker() {
  const sent: [string, string, boolean][] = [];
  const b = {
    up: true,
    sent,
    publish: (topic: string, payload: string, o: { retain?: boolean }): Promise<PublishResult> => {
      if (!b.up) return Promise.resolve({ ok: false, reason: 'not connected to the broker' });
      sent.push([topic, payload, o.retain === true]);
      return Promise.resolve({ ok: true });
    },
  };
  return b;
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('alarmDiff', () => {
  it('publishes changed alarms and an empty payload for those that left', () => {
    const held = new Map([
      ['a', 'A1'],
      ['b', 'B1'],
    ]);
    const wanted = new Map([
      ['a', 'A2'],
      ['c', 'C1'],
    ]);
    expect(alarmDiff(held, wanted)).toEqual([
      ['a', 'A2'],
      ['c', 'C1'],
      ['b', ''],
    ]);
    expect(alarmDiff(wanted, wanted)).toEqual([]);
  });
});

describe('SharedStatePublisher', () => {
  it('holds each alarm retained on its own topic and removes one that left the list', async () => {
    const b = broker();
    const p = new SharedStatePublisher('pump-station', b.publish);
    p.setAlarms([alarm('pump1.overheat')]);
    await settle();
    p.setAlarms([]);
    await settle();
    expect(b.sent).toEqual([
      ['twinview/v1/pump-station/alarms/pump1.overheat', JSON.stringify(alarm('pump1.overheat')), true],
      ['twinview/v1/pump-station/alarms/pump1.overheat', '', true],
    ]);
  });

  it('removes a retained alarm a previous run left that the service does not hold', async () => {
    const b = broker();
    const p = new SharedStatePublisher('t', b.publish);
    p.setAlarms([alarm('kept')]);
    await settle();
    p.noteRetained('stale', JSON.stringify(alarm('stale')));
    p.noteRetained('kept', JSON.stringify(alarm('kept')));
    await settle();
    expect(b.sent.map(([t, payload]) => [t, payload === '' ? '' : 'alarm'])).toEqual([
      ['twinview/v1/t/alarms/kept', 'alarm'],
      ['twinview/v1/t/alarms/stale', ''],
    ]);
  });

  it('keeps audit records the broker did not take, and sends them in order after a reconnect', async () => {
    const b = broker();
    const p = new SharedStatePublisher('t', b.publish);
    const published: number[] = [];
    p.onAuditPublished((seq) => published.push(seq));
    p.addAudit([audit(1)]);
    await settle();
    b.up = false;
    p.addAudit([audit(2), audit(3)]);
    await settle();
    expect(p.pendingAudit).toBe(2);
    b.up = true;
    p.resync();
    await p.settled();
    expect(published).toEqual([1, 2, 3]);
    expect(b.sent.map(([, payload]) => (JSON.parse(payload) as AuditRecord).seq)).toEqual([1, 2, 3]);
    expect(p.pendingAudit).toBe(0);
  });

  it('publishes an alarm refused while offline once the connection is back', async () => {
    const b = broker();
    b.up = false;
    const p = new SharedStatePublisher('t', b.publish);
    p.setAlarms([alarm('a', 'acknowledged')]);
    await settle();
    expect(b.sent).toEqual([]);
    b.up = true;
    p.resync();
    await settle();
    expect(b.sent).toEqual([['twinview/v1/t/alarms/a', JSON.stringify(alarm('a', 'acknowledged')), true]]);
  });
});

describe('SharedStatePublisher while the broker is away', () => {
  it('tries nothing while offline, then publishes the latest state and the waiting audit in order', async () => {
    const b = broker();
    const logs: string[] = [];
    const p = new SharedStatePublisher('t', b.publish, (l) => logs.push(l));
    p.setOnline(false);
    p.setAlarms([alarm('a')]);
    p.setAlarms([alarm('a', 'acknowledged')]);
    p.addAudit([audit(1), audit(2)]);
    await settle();
    expect(b.sent).toEqual([]);
    expect(logs).toEqual([]);
    p.setOnline(true);
    await p.settled();
    expect(
      b.sent.map(([t, payload]) => [t, t.endsWith('audit') ? (JSON.parse(payload) as AuditRecord).seq : payload]),
    ).toEqual([
      ['twinview/v1/t/alarms/a', JSON.stringify(alarm('a', 'acknowledged'))],
      ['twinview/v1/t/audit', 1],
      ['twinview/v1/t/audit', 2],
    ]);
  });

  it('keeps at most OUTBOX_CAPACITY audit records, dropping the oldest, and says how many went', async () => {
    const b = broker();
    const logs: string[] = [];
    const p = new SharedStatePublisher('t', b.publish, (l) => logs.push(l));
    p.setOnline(false);
    for (let seq = 1; seq <= OUTBOX_CAPACITY + 3; seq++) p.addAudit([audit(seq)]);
    expect(p.pendingAudit).toBe(OUTBOX_CAPACITY);
    p.setOnline(true);
    await p.settled(20_000);
    expect((JSON.parse(b.sent[0][1]) as AuditRecord).seq).toBe(4);
    expect(logs).toEqual([
      `the broker is away: audit records beyond ${OUTBOX_CAPACITY} are dropped, oldest first`,
      '3 audit records were dropped while the broker was away',
    ]);
  });
});
