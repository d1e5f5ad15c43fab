import { describe, expect, it } from 'vitest';
import { connectionText } from './connectionText';
import { testT } from '../i18n/testing';

const url = 'ws://broker:9001';

describe('connectionText', () => {
  it('says connecting before the first status', () => {
    expect(connectionText(null, null, 0)).toMatchObject({ state: 'connecting', label: 'Connecting…' });
  });

  it('says online with the age of the last message', () => {
    const t = connectionText({ state: 'online', url, since: 0, resumed: false }, 7000, 10_000);
    expect(t).toMatchObject({ label: 'Online', reason: null, lastMessage: 'last message 3 s ago' });
  });

  it('says when the broker refused MQTT 5 and the connection uses 3.1.1, and how to skip that try', () => {
    const t = connectionText(
      { state: 'online', url, since: 0, resumed: false, mqttFallback: { refused: 5, using: '3.1.1' } },
      null,
      0,
    );
    expect(t).toMatchObject({ label: 'Online', reason: null });
    expect(t.protocol).toBe(
      'MQTT 3.1.1: the broker refused MQTT 5 (set "mqtt": "3.1.1" in the twin\'s connection to skip that try)',
    );
    expect(connectionText({ state: 'online', url, since: 0, resumed: false }, null, 0).protocol).toBeNull();
  });

  it('says which attempt is next and counts down to it', () => {
    const status = { state: 'reconnecting' as const, url, attempt: 3, reason: 'connection lost', nextRetryAt: 14_000 };
    expect(connectionText(status, null, 10_000)).toMatchObject({
      label: 'Reconnecting (attempt 3)',
      countdown: 'next try in 4 s',
      reason: 'connection lost',
      lastMessage: null,
    });
    expect(connectionText(status, null, 13_200).countdown).toBe('next try in 1 s');
    expect(connectionText(status, null, 14_500).countdown).toBe('trying now');
  });

  it("says offline with the broker's reason", () => {
    expect(
      connectionText({ state: 'offline', url, reason: 'Connection refused: Bad username or password' }, null, 0),
    ).toMatchObject({ label: 'Offline', reason: 'Connection refused: Bad username or password', countdown: null });
  });
  it('says it in German, with the age in German', () => {
    const de = testT('de');
    const status = { state: 'reconnecting' as const, url, attempt: 3, reason: 'connection lost', nextRetryAt: 14_000 };
    expect(connectionText(status, 7000, 10_000, de)).toMatchObject({
      label: 'Neuer Verbindungsversuch (3. Versuch)',
      countdown: 'nächster Versuch in 4 s',
      reason: 'Verbindung verloren',
    });
    expect(connectionText({ ...status, reason: 'broker not reachable' }, null, 10_000, de).reason).toBe(
      'Broker nicht erreichbar',
    );
    expect(connectionText({ ...status, reason: 'broker disconnected: Server busy' }, null, 10_000, de).reason).toBe(
      'Broker hat getrennt: Server busy',
    );
    // A broker's own words are shown as they came.
    expect(
      connectionText({ state: 'offline', url, reason: 'Connection refused: Not authorized' }, null, 0, de).reason,
    ).toBe('Connection refused: Not authorized');
    expect(connectionText({ state: 'online', url, since: 0, resumed: false }, null, 0, de).label).toBe('Online');
    expect(connectionText(null, null, 0, de).label).toBe('Verbinde…');
  });
});
