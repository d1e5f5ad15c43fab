import { describe, expect, it } from 'vitest';
import { AlarmBook } from './alarms';

const book = () =>
  new AlarmBook([
    { id: 'pump1.hot', message: 'Pump 1 hot', priority: 'high', asset: 'station/Pump1', signal: 'pump1.temp' },
    { id: 'tank1.low', message: 'Tank low', priority: 'medium', signal: 'tank1.level' },
  ]);

describe('AlarmBook', () => {
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
      },
    ]);
  });

  it('goes active → acknowledged → normal when the condition clears', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    expect(b.acknowledge('pump1.hot', 2000, 'ana')).toBe(true);
    expect(b.snapshot()[0]).toMatchObject({ state: 'acknowledged', acknowledgedAt: 2000, acknowledgedBy: 'ana' });
    expect(b.clear('pump1.hot', 3000)).toBe(true);
    expect(b.state('pump1.hot')).toBe('normal');
    expect(b.snapshot()).toEqual([]);
  });

  it('goes active → cleared-unacknowledged when it clears before an ack, then normal on ack', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    expect(b.clear('pump1.hot', 2000)).toBe(true);
    expect(b.snapshot()[0]).toMatchObject({ state: 'cleared-unacknowledged', clearedAt: 2000, value: 97 });
    expect(b.acknowledge('pump1.hot', 3000, 'ana')).toBe(true);
    expect(b.state('pump1.hot')).toBe('normal');
    expect(b.snapshot()).toEqual([]);
  });

  it('re-raises a cleared-unacknowledged alarm as a new occurrence', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    b.clear('pump1.hot', 2000);
    expect(b.raise('pump1.hot', 99, 5000)).toBe(true);
    const [alarm] = b.snapshot();
    expect(alarm).toMatchObject({ state: 'active', value: 99, raisedAt: 5000 });
    expect(alarm.clearedAt).toBeUndefined();
  });

  it('ignores transitions that do not exist', () => {
    const b = book();
    expect(b.clear('pump1.hot', 1)).toBe(false); // normal: nothing to clear
    expect(b.acknowledge('pump1.hot', 1)).toBe(false); // normal: nothing to ack
    b.raise('pump1.hot', 97, 1000);
    b.takeChanges();
    expect(b.raise('pump1.hot', 98, 1100)).toBe(false); // already active
    b.acknowledge('pump1.hot', 1200);
    expect(b.acknowledge('pump1.hot', 1300, 'bo')).toBe(false); // already acknowledged
    expect(b.raise('pump1.hot', 99, 1400)).toBe(false);
    expect(b.snapshot()[0]).toMatchObject({ value: 97, raisedAt: 1000, acknowledgedAt: 1200 });
    expect(b.snapshot()[0].acknowledgedBy).toBeUndefined();
    expect(b.acknowledge('nope', 1)).toBe(false);
    expect(b.raise('nope', 1, 1)).toBe(false);
  });

  it('reports the list only when it changed', () => {
    const b = book();
    b.raise('tank1.low', 8, 10);
    b.raise('pump1.hot', 97, 20);
    expect(b.takeChanges()?.map((a) => a.id)).toEqual(['pump1.hot', 'tank1.low']); // twin order
    expect(b.takeChanges()).toBe(null);
    b.raise('pump1.hot', 100, 30); // no change
    expect(b.changed).toBe(false);
    b.acknowledge('tank1.low', 40);
    expect(b.takeChanges()?.find((a) => a.id === 'tank1.low')?.state).toBe('acknowledged');
  });

  it('hands out snapshots that later changes do not touch', () => {
    const b = book();
    b.raise('pump1.hot', 97, 1000);
    const before = b.snapshot();
    b.acknowledge('pump1.hot', 2000, 'ana');
    expect(before[0].state).toBe('active');
  });
});
