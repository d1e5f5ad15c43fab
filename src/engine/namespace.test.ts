import { describe, expect, it } from 'vitest';
import { fromTopicLevel, parseRequest, splitTopic, topicLevel, topics } from './namespace';

describe('the twinview/v1 topic namespace', () => {
  it('keeps ordinary ids readable and encodes what MQTT would read as wildcards or levels', () => {
    expect(topics.alarm('pump-station', 'pump1.overheat')).toBe('twinview/v1/pump-station/alarms/pump1.overheat');
    expect(topicLevel('a/b+c#d%e')).toBe('a%2Fb%2Bc%23d%25e');
    expect(fromTopicLevel(topicLevel('a/b+c#d%e'))).toBe('a/b+c#d%e');
  });

  it('splits a topic of ours into the twin and the rest, and refuses others', () => {
    expect(splitTopic('twinview/v1/north%20plant/alarms/x%2Fy')).toEqual({
      twin: 'north plant',
      rest: ['alarms', 'x/y'],
    });
    expect(splitTopic('plant/north/pump1')).toBeNull();
    expect(splitTopic('twinview/v2/t/service')).toBeNull();
  });

  it('accepts well-formed requests and says what is wrong with the others', () => {
    expect(parseRequest('{"v":1,"id":"r1","kind":"acknowledge","alarmId":"a"}')).toMatchObject({ kind: 'acknowledge' });
    expect(
      parseRequest(
        JSON.stringify({
          v: 1,
          id: 'r2',
          kind: 'alarm-action',
          action: { kind: 'shelve', alarmId: 'a', durationMs: 60000 },
        }),
      ),
    ).toMatchObject({ kind: 'alarm-action' });
    expect(parseRequest('not json')).toBe('request is not JSON');
    expect(parseRequest('{"v":2,"id":"r","kind":"acknowledge","alarmId":"a"}')).toMatch(/version 2/);
    expect(parseRequest('{"v":1,"id":"r","kind":"launch"}')).toBe('unknown request kind "launch"');
    expect(parseRequest('{"v":1,"id":"r","kind":"alarm-action","action":{"kind":"shelve","alarmId":"a"}}')).toBe(
      'shelve needs a duration',
    );
    expect(parseRequest('x'.repeat(20_000))).toMatch(/larger than/);
  });
});
