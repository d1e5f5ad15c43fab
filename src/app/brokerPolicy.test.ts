import { describe, expect, it } from 'vitest';
import { matchesBrokerEntry, normaliseBrokerUrl, parseServerConfig, pickBroker } from './brokerPolicy';

const TWIN = 'ws://127.0.0.1:9001';
const none = { brokerUrl: null, brokers: [] };

describe('pickBroker', () => {
  it('uses the twin’s own broker when there is no ?broker= and no server override', () => {
    expect(pickBroker(TWIN, null, none)).toEqual({ url: TWIN, refused: null });
  });

  it('uses the server’s override when there is no ?broker=', () => {
    expect(pickBroker(TWIN, null, { brokerUrl: 'wss://plant.example/mqtt', brokers: [] })).toEqual({
      url: 'wss://plant.example/mqtt',
      refused: null,
    });
  });

  it('refuses a link’s broker that the deployment does not allow and keeps the allowed one', () => {
    const config = { brokerUrl: 'wss://plant.example/mqtt', brokers: [] };
    expect(pickBroker(TWIN, 'wss://evil.example/mqtt', config)).toEqual({
      url: 'wss://plant.example/mqtt',
      refused: 'wss://evil.example/mqtt',
    });
  });

  it('accepts a link’s broker on the served brokers list', () => {
    const config = { brokerUrl: 'wss://a.example/mqtt', brokers: ['wss://b.example/mqtt'] };
    expect(pickBroker(TWIN, 'wss://b.example/mqtt', config).url).toBe('wss://b.example/mqtt');
  });

  it('accepts the twin’s own broker by link even when the server overrides it', () => {
    const config = { brokerUrl: 'wss://a.example/mqtt', brokers: [] };
    expect(pickBroker(TWIN, 'ws://127.0.0.1:9001/', config)).toEqual({ url: 'ws://127.0.0.1:9001/', refused: null });
  });

  it('refuses what is not a ws/wss URL, and a URL carrying credentials', () => {
    expect(pickBroker(TWIN, 'javascript:alert(1)', none).refused).toBe('javascript:alert(1)');
    expect(pickBroker(TWIN, 'ws://user:pw@127.0.0.1:9001', none).refused).toBe('ws://user:pw@127.0.0.1:9001');
  });

  it('treats an empty ?broker= as absent', () => {
    expect(pickBroker(TWIN, '', none)).toEqual({ url: TWIN, refused: null });
  });
});

describe('matchesBrokerEntry', () => {
  it('ignores case of scheme and host and a bare trailing slash', () => {
    expect(matchesBrokerEntry('WS://Broker.Example:9001/', 'ws://broker.example:9001')).toBe(true);
  });

  it('matches the path exactly', () => {
    expect(matchesBrokerEntry('wss://b.example/mqtt', 'wss://b.example/other')).toBe(false);
    expect(matchesBrokerEntry('wss://b.example/mqtt/x', 'wss://b.example/mqtt')).toBe(false);
  });

  it('does not let ws stand for wss', () => {
    expect(matchesBrokerEntry('ws://b.example/mqtt', 'wss://b.example/mqtt')).toBe(false);
  });

  it('lets * match any port but not another host', () => {
    expect(matchesBrokerEntry('ws://127.0.0.1:19021', 'ws://127.0.0.1:*')).toBe(true);
    expect(matchesBrokerEntry('ws://127.0.0.1.evil.example:1', 'ws://127.0.0.1:*')).toBe(false);
    expect(matchesBrokerEntry('ws://127.0.0.1:1/x', 'ws://127.0.0.1:*')).toBe(false);
  });

  it('lets * match a subdomain label without escaping the domain', () => {
    expect(matchesBrokerEntry('wss://site1.plant.example/mqtt', 'wss://*.plant.example/mqtt')).toBe(true);
    expect(matchesBrokerEntry('wss://plant.example.evil.example/mqtt', 'wss://*.plant.example/mqtt')).toBe(false);
  });
});

describe('normaliseBrokerUrl', () => {
  it('refuses other schemes', () => {
    expect(normaliseBrokerUrl('http://b.example')).toBeNull();
    expect(normaliseBrokerUrl('not a url')).toBeNull();
  });
});

describe('parseServerConfig', () => {
  it('reads brokerUrl and brokers and ignores what is mistyped', () => {
    expect(parseServerConfig({ brokerUrl: 'ws://a', brokers: ['ws://b', 3, ''] })).toEqual({
      brokerUrl: 'ws://a',
      brokers: ['ws://b'],
    });
    expect(parseServerConfig(null)).toEqual({ brokerUrl: null, brokers: [] });
    expect(parseServerConfig({ brokerUrl: null })).toEqual({ brokerUrl: null, brokers: [] });
  });
});
