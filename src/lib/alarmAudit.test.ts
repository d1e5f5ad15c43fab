import { describe, expect, it } from 'vitest';
import type { AlarmAuditEntry } from '../engine/protocol';
import { auditToCsv, isFlood, newUrgentRaise, recentRaises } from './alarmAudit';

const entry = (t: number, event: AlarmAuditEntry['event'] = 'raise', extra: Partial<AlarmAuditEntry> = {}) =>
  ({ t, alarmId: 'a', event, state: 'active', priority: 'high', ...extra }) as AlarmAuditEntry;

describe('flood indicator', () => {
  it('is a flood with more than 10 raises in 10 minutes, not with exactly 10', () => {
    const ten = Array.from({ length: 10 }, (_, i) => entry(i * 1000));
    expect(isFlood(ten, 10_000)).toBe(false);
    expect(isFlood([...ten, entry(10_500)], 11_000)).toBe(true);
  });

  it('counts only raises inside the window', () => {
    const log = [...Array.from({ length: 11 }, (_, i) => entry(i)), entry(700_000, 'acknowledge')];
    expect(recentRaises(log, 600_005)).toBe(6);
    expect(isFlood(log, 700_000)).toBe(false);
  });
});

describe('auditToCsv', () => {
  it('writes a header and one row per entry, quoting commas and quotes', () => {
    const csv = auditToCsv([
      entry(0, 'acknowledge', { operator: 'ana', comment: 'valve "B", closed' }),
      entry(1000, 'clear', { value: 93.5 }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'time,alarm,event,state,priority,operator,comment,value',
      '1970-01-01T00:00:00.000Z,a,acknowledge,active,high,ana,"valve ""B"", closed",',
      '1970-01-01T00:00:01.000Z,a,clear,active,high,,,93.5',
      '',
    ]);
  });

  it('defuses cells a spreadsheet would run as formulas, but keeps negative numbers', () => {
    const csv = auditToCsv([entry(0, 'comment', { comment: '=HYPERLINK("x")', value: -2 })]);
    expect(csv.split('\r\n')[1]).toBe(`1970-01-01T00:00:00.000Z,a,comment,active,high,,"'=HYPERLINK(""x"")",-2`);
  });
});

describe('newUrgentRaise (the alarm sound)', () => {
  it('is true only for a high or urgent raise after the given time', () => {
    const log = [entry(1000), entry(2000, 'raise', { priority: 'low' }), entry(3000, 'acknowledge')];
    expect(newUrgentRaise(log, 500)).toBe(true);
    expect(newUrgentRaise(log, 1000)).toBe(false);
    expect(newUrgentRaise([...log, entry(4000, 'raise', { priority: 'urgent' })], 3000)).toBe(true);
  });
});
