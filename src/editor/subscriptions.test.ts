import { describe, expect, it } from 'vitest';
import { parseSubscriptions, signalFilters, subscriptionsText } from './subscriptions';

describe('subscriptions as text', () => {
  it('one filter a line, the object form with its QoS', () => {
    const subs = ['plant/#', { topic: 'alarms/+', qos: 1 }];
    expect(subscriptionsText(subs)).toBe('plant/#\nalarms/+ qos1');
    expect(parseSubscriptions('plant/#\nalarms/+ qos1\n\n')).toEqual(subs);
  });

  it('reads a missing list as empty text', () => {
    expect(subscriptionsText(undefined)).toBe('');
    expect(parseSubscriptions('   ')).toEqual([]);
  });
});

describe("the signals' own topics", () => {
  it('covers every signal with the fewest filters, captures as +', () => {
    expect(
      signalFilters([
        { topic: 'plant/+pump/telemetry' },
        { topic: 'plant/pump1/telemetry' },
        { topic: 'site/#' },
        { topic: 'site/a/b' },
        { topic: '$http/weather' },
        {},
      ]),
    ).toEqual(['plant/+/telemetry', 'site/#']);
  });

  it('no signals, no filters', () => {
    expect(signalFilters([])).toEqual([]);
    expect(signalFilters(undefined)).toEqual([]);
  });
});
