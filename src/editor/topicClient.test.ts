import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { filterProblem, startTopicClient, type TopicClientState } from './topicClient';
import { TopicBrowser } from './topicBrowser';

/** A stand-in for mqtt.js: records subscriptions and publishes, emits what the test says. */
class FakeClient extends EventEmitter {
  subscribed: string[] = [];
  published = 0;
  ended = false;
  subscribe(filter: string, _opts: unknown, cb: (err: Error | null, granted: { qos: number }[]) => void) {
    this.subscribed.push(filter);
    cb(null, [{ qos: 0 }]);
  }
  publish() {
    this.published++;
  }
  end() {
    this.ended = true;
  }
}

function start(filter = '#') {
  const fake = new FakeClient();
  const states: TopicClientState[] = [];
  const browser = new TopicBrowser();
  let t = 1000;
  const client = startTopicClient({
    url: 'ws://127.0.0.1:1',
    filter,
    browser,
    connect: () => fake as unknown as MqttClient,
    onState: (s) => states.push(s),
    now: () => t++,
  });
  return { fake, states, browser, client };
}

describe('topic client', () => {
  it('subscribes to the filter once connected and feeds messages to the model, never publishing', () => {
    const { fake, states, browser } = start('plant/#');
    fake.emit('connect');
    expect(fake.subscribed).toEqual(['plant/#']);
    expect(states.at(-1)).toEqual({ kind: 'subscribed', filter: 'plant/#' });
    fake.emit('message', 'plant/a', new TextEncoder().encode('1'));
    expect(browser.topic('plant/a', 2000)?.count).toBe(1);
    expect(fake.published).toBe(0);
  });

  it('stops when closed: the connection ends and later messages are not recorded', () => {
    const { fake, states, browser, client } = start();
    fake.emit('connect');
    client.close();
    expect(fake.ended).toBe(true);
    expect(states.at(-1)).toEqual({ kind: 'closed' });
    fake.emit('message', 'x', new TextEncoder().encode('1'));
    expect(browser.size).toBe(0);
  });

  it('reports the broker error as its reason', () => {
    const { fake, states } = start();
    fake.emit('error', new Error('Connection refused: Not authorized'));
    expect(states.at(-1)).toEqual({ kind: 'error', reason: 'Connection refused: Not authorized' });
  });
});

describe('subscription filters', () => {
  it('accepts MQTT filters and names what is wrong with others', () => {
    expect(filterProblem('#')).toBeNull();
    expect(filterProblem('plant/+/t')).toBeNull();
    expect(filterProblem('')).toBe('empty');
    expect(filterProblem('a/#/b')).toBe('hash-not-last');
    expect(filterProblem('a/b+')).toBe('wildcard-level');
    expect(filterProblem('a/+name')).toBe('wildcard-level');
  });
});
