import { describe, expect, it } from 'vitest';
import { AlarmBook, type AlarmDef } from './alarms';

const defs: AlarmDef[] = [
  { id: 'pump1.hot', message: 'Pump 1 hot', priority: 'high', asset: 'station/Pump1', signal: 'pump1.temp' },
  { id: 'tank1.low', message: 'Tank low', priority: 'medium', signal: 'tank1.level' },
  { id: 'trip', message: 'Pump tripped', priority: 'urgent', signal: 'pump1.tripped', latch: true },
];
const book = () => new AlarmBook(defs);
const events = (b: AlarmBook) => b.takeAudit().map((e) => `${e.event}:${e.state}`);

describe('AlarmBook: the basic lifecycle', () => {
  it('starts with every alarm normal and an empty list', () => {
    const b = book();
    expect(b.state('pump1.hot')).toBe('normal');
    expect(b.snapshot()).toEqual([]);
    expect(b.takeChanges()).toBe(null);
  });

  it('goes normal → active on raise, recording value and time', () => {
    const b = book();
    expect(b.raise('pump1.hot', 97, 1000)).toBe(true);
    expect(b.snapshot()).toEqual([
      {
        id: 'pump1.hot',
        message: 'Pump 1 hot',
        priority: 'high',
        asset: 'station/Pump1',
        signal: 'pump1.temp',
        state: 'active',
        value: 97,
        raisedAt: 1000,
        conditionActive: true,
      },
    ]);
  });

  it('goes active → acknowledged (who, when, comment) → normal when the condition clears', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    expect(b.acknowledge('pump1.hot', 2000, { operator: 'ana', comment: 'on it' })).toBe(true);
    expect(b.snapshot()[0]).toMatchObject({
      state: 'acknowledged',
      acknowledgedAt: 2000,
      acknowledgedBy: 'ana',
      comment: 'on it',
    });
    expect(b.clear('pump1.hot', 3000)).toBe(true);
    expect(b.state('pump1.hot')).toBe('normal');
    expect(b.snapshot()).toEqual([]);
    expect(events(b)).toEqual(['raise:active', 'acknowledge:acknowledged', 'clear:normal']);
  });

  it('goes active → cleared-unacknowledged → normal on ack, so a short alarm is never missed', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    b.clear('pump1.hot', 2000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'cleared-unacknowledged', clearedAt: 2000, value: 97 });
    expect(b.acknowledge('pump1.hot', 3000, { operator: 'ana' })).toBe(true);
    expect(b.snapshot()).toEqual([]);
  });

  it('re-raises a cleared-unacknowledged alarm as a new occurrence', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    b.clear('pump1.hot', 2000);
    b.raise('pump1.hot', 99, 3000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active', raisedAt: 3000, value: 99 });
    expect(b.snapshot()[0].clearedAt).toBeUndefined();
  });

  it('ignores unknown ids and acks of alarms with nothing to acknowledge', () => {
    const b = book();
    expect(b.raise('nope', 1, 0)).toBe(false);
    expect(b.acknowledge('pump1.hot', 0)).toBe(false);
    expect(b.clear('pump1.hot', 0)).toBe(false);
  });

  it('reports the list once per change', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    expect(b.takeChanges()).toHaveLength(1);
    expect(b.takeChanges()).toBe(null);
  });
});

describe('AlarmBook: latched alarms', () => {
  it('stays after its condition clears until acknowledged and reset', () => {
    const b = book();
    b.raise('trip', 1, 0);
    b.clear('trip', 1000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active', latched: true, conditionActive: false });
    expect(b.reset('trip', 1500)).toBe(true); // reset also works from active once the condition is gone
    expect(b.state('trip')).toBe('normal');
  });

  it('cannot be reset while its condition holds', () => {
    const b = book();
    b.raise('trip', 1, 0);
    b.acknowledge('trip', 100, { operator: 'ana' });
    expect(b.reset('trip', 200)).toBe(false);
    b.clear('trip', 300);
    expect(b.state('trip')).toBe('acknowledged');
    expect(b.reset('trip', 400, { operator: 'ana' })).toBe(true);
    expect(b.state('trip')).toBe('normal');
    expect(events(b).slice(-1)).toEqual(['reset:normal']);
  });

  it('does not reset an alarm that is not latched', () => {
    const b = book();
    b.raise('pump1.hot', 97, 0);
    b.clear('pump1.hot', 1);
    expect(b.reset('pump1.hot', 2)).toBe(false);
  });
});

describe('AlarmBook: shelving', () => {
  it('hides a shelved alarm, and brings it back unacknowledged at expiry if its condition still holds', () => {
    const b = book();
    b.raise('pump1.hot', 97, 0);
    b.acknowledge('pump1.hot', 100, { operator: 'ana' });
    expect(b.shelve('pump1.hot', 1000, 61_000, { operator: 'ana', comment: 'sensor work' })).toBe(true);
    expect(b.snapshot()[0]).toMatchObject({
      state: 'shelved',
      shelvedAt: 1000,
      shelvedUntil: 61_000,
      shelvedBy: 'ana',
    });
    expect(b.acknowledge('pump1.hot', 2000)).toBe(false);
    b.tick(60_999);
    expect(b.state('pump1.hot')).toBe('shelved');
    b.tick(61_000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active', raisedAt: 61_000 });
    expect(b.snapshot()[0].acknowledgedBy).toBeUndefined();
    expect(events(b)).toEqual(['raise:active', 'acknowledge:acknowledged', 'shelve:shelved', 'shelve-expired:active']);
  });

  it('returns to normal at expiry when the condition cleared while shelved', () => {
    const b = book();
    b.raise('pump1.hot', 97, 0);
    b.shelve('pump1.hot', 0, 10_000);
    b.clear('pump1.hot', 5000);
    b.tick(10_000);
    expect(b.state('pump1.hot')).toBe('normal');
  });

  it('raises while shelved only into the audit log, and unshelve brings it back', () => {
    const b = book();
    b.shelve('tank1.low', 0, 100_000);
    b.raise('tank1.low', 5, 10);
    expect(b.state('tank1.low')).toBe('shelved');
    expect(b.unshelve('tank1.low', 20, { operator: 'bo' })).toBe(true);
    expect(b.state('tank1.low')).toBe('active');
  });

  it('refuses a shelve with an expiry in the past', () => {
    expect(book().shelve('pump1.hot', 1000, 1000)).toBe(false);
  });
});

describe('AlarmBook: suppression by design and out of service', () => {
  it('lists a suppressed alarm only while its condition holds, and annunciates it when suppression ends', () => {
    const b = book();
    expect(b.setSuppressed('tank1.low', true, 0)).toBe(true);
    expect(b.snapshot()).toEqual([]);
    b.raise('tank1.low', 3, 10);
    expect(b.snapshot()[0]).toMatchObject({ state: 'suppressed' });
    expect(b.setSuppressed('tank1.low', false, 20)).toBe(true);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active', raisedAt: 20 });
  });

  it('takes an alarm out of service and back, and suppression does not override it', () => {
    const b = book();
    b.raise('pump1.hot', 97, 0);
    expect(b.setOutOfService('pump1.hot', true, 10, { operator: 'ana' })).toBe(true);
    expect(b.state('pump1.hot')).toBe('out-of-service');
    expect(b.setSuppressed('pump1.hot', true, 15)).toBe(false);
    b.clear('pump1.hot', 20);
    expect(b.setOutOfService('pump1.hot', false, 30)).toBe(true);
    expect(b.state('pump1.hot')).toBe('normal');
    expect(events(b)).toEqual([
      'raise:active',
      'out-of-service:out-of-service',
      'clear:out-of-service',
      'return-to-service:normal',
    ]);
  });
});

describe('AlarmBook: chattering, audit and restore', () => {
  it('flags an alarm raised 3 times within a minute as chattering, and drops the flag later', () => {
    const b = book();
    for (const t of [0, 20_000, 40_000]) {
      b.raise('pump1.hot', 97, t);
      b.clear('pump1.hot', t + 1000);
    }
    expect(b.snapshot()[0].chattering).toBe(true);
    b.tick(60_001);
    expect(b.snapshot()[0].chattering).toBeUndefined();
  });

  it('does not call 3 raises over more than a minute chattering', () => {
    const b = book();
    for (const t of [0, 31_000, 62_000]) {
      b.raise('pump1.hot', 97, t);
      b.clear('pump1.hot', t + 1000);
    }
    expect(b.snapshot()[0].chattering).toBeUndefined();
  });

  it('keeps the audit log bounded', () => {
    const b = book();
    for (let t = 0; t < 3000; t++) {
      b.raise('pump1.hot', 97, t * 2);
      b.clear('pump1.hot', t * 2 + 1);
    }
    const log = b.takeAudit();
    expect(log).toHaveLength(1000);
    expect(log[log.length - 1]).toMatchObject({ t: 5999, event: 'clear' });
    expect(b.takeAudit()).toEqual([]);
  });

  it('restores a saved list exactly, acknowledging nothing', () => {
    const b = book();
    b.raise('pump1.hot', 97, 0);
    b.acknowledge('pump1.hot', 10, { operator: 'ana' });
    b.raise('tank1.low', 3, 20);
    b.shelve('trip', 30, 90_000);
    const saved = b.snapshot();
    const fresh = book();
    expect(fresh.restore(saved).sort()).toEqual(['pump1.hot', 'tank1.low']);
    expect(fresh.snapshot()).toEqual(saved);
    fresh.tick(90_000);
    expect(fresh.state('trip')).toBe('normal');
  });

  it('ignores saved alarms of rules the twin no longer has', () => {
    const fresh = book();
    fresh.restore([{ id: 'gone', message: 'x', priority: 'low', signal: 's', state: 'active', value: 1, raisedAt: 0 }]);
    expect(fresh.snapshot()).toEqual([]);
  });
});

describe('AlarmBook: snapshots reuse unchanged alarms', () => {
  it('gives an unchanged alarm as the same object, a changed one anew, and leaves earlier lists as they were', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    b.raise('tank1.low', 3, 1000);
    const first = b.snapshot();
    b.acknowledge('pump1.hot', 2000, { operator: 'ana' });
    const second = b.snapshot();
    expect(second[1]).toBe(first[1]); // tank1.low did not change
    expect(second[0]).not.toBe(first[0]);
    expect(first[0].state).toBe('active'); // what a caller kept still says what it said
    expect(second[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana' });
  });

  it('makes a fresh alarm after each kind of change: raise, clear, message, suppression, shelve, by index too', () => {
    const b = book();
    b.raiseAt(0, 97, 1000);
    let before = b.snapshot()[0];
    b.setMessage('pump1.hot', 'Pump 1 hot: bearing');
    expect(b.snapshot()[0]).toMatchObject({ message: 'Pump 1 hot: bearing' });
    expect(b.snapshot()[0]).not.toBe(before);
    before = b.snapshot()[0];
    b.clearAt(0, 2000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'cleared-unacknowledged', conditionActive: false, clearedAt: 2000 });
    expect(before.state).toBe('active');
    b.raiseAt(0, 98, 3000);
    b.setSuppressedAt(0, true, 3500);
    expect(b.snapshot()[0]).toMatchObject({ state: 'suppressed', conditionActive: true });
    b.setSuppressedAt(0, false, 4000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active', raisedAt: 4000 });
    b.shelve('pump1.hot', 5000, 9000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'shelved', shelvedUntil: 9000 });
    b.tick(9000);
    expect(b.snapshot()[0]).toMatchObject({ state: 'active' });
    expect(b.snapshot()[0].shelvedUntil).toBeUndefined();
  });
});
