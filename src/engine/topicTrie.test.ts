import { describe, expect, it } from 'vitest';
import { TopicRouter } from './topicTrie';
import { signal } from './testTwins';

const ids = (router: TopicRouter, topic: string) => router.match(topic).map((m) => m.signal.id);

describe('TopicRouter', () => {
  it('matches exact topics and nothing else', () => {
    const r = new TopicRouter([signal('a', 'plant/north/tank1/telemetry'), signal('b', 'plant/north/tank2/telemetry')]);
    expect(ids(r, 'plant/north/tank1/telemetry')).toEqual(['a']);
    expect(ids(r, 'plant/north/tank2/telemetry')).toEqual(['b']);
    expect(ids(r, 'plant/north/tank1')).toEqual([]);
    expect(ids(r, 'plant/north/tank1/telemetry/x')).toEqual([]);
  });

  it('matches "+" against exactly one level', () => {
    const r = new TopicRouter([signal('a', 'plant/+/telemetry')]);
    expect(ids(r, 'plant/x/telemetry')).toEqual(['a']);
    expect(ids(r, 'plant/telemetry')).toEqual([]);
    expect(ids(r, 'plant/x/y/telemetry')).toEqual([]);
  });

  it('captures named "+" levels', () => {
    const r = new TopicRouter([signal('{site}.{pump}.temp', '+site/north/+pump/telemetry')]);
    expect(r.match('plant/north/pump1/telemetry')[0].captures).toEqual({ site: 'plant', pump: 'pump1' });
    const [resolved] = r.resolve('plant/north/pump7/telemetry');
    expect(resolved.id).toBe('plant.pump7.temp');
  });

  it('matches "#" at the root against every topic', () => {
    const r = new TopicRouter([signal('all', '#')]);
    expect(ids(r, 'a')).toEqual(['all']);
    expect(ids(r, 'a/b/c')).toEqual(['all']);
    expect(ids(r, '/leading')).toEqual(['all']);
  });

  it('matches "#" at the end against the rest and the parent level', () => {
    const r = new TopicRouter([signal('rest', 'a/b/#')]);
    expect(ids(r, 'a/b/c')).toEqual(['rest']);
    expect(ids(r, 'a/b/c/d/e')).toEqual(['rest']);
    expect(ids(r, 'a/b')).toEqual(['rest']);
    expect(ids(r, 'a/b/')).toEqual(['rest']);
    expect(ids(r, 'a')).toEqual([]);
    expect(ids(r, 'a/c')).toEqual([]);
  });

  it('does not match "$" topics with a wildcard in the first level', () => {
    const r = new TopicRouter([
      signal('hash', '#'),
      signal('plus', '+/broker/load'),
      signal('sys', '$SYS/#'),
      signal('sysPlus', '$SYS/+/load'),
    ]);
    expect(ids(r, '$SYS/broker/load')).toEqual(['sys', 'sysPlus']);
    expect(ids(r, '$SYS/broker/uptime')).toEqual(['sys']);
    expect(ids(r, '$SYS')).toEqual(['sys']);
    expect(ids(r, 'plain/broker/load')).toEqual(['hash', 'plus']);
  });

  it('treats empty levels as real levels', () => {
    const r = new TopicRouter([signal('lit', 'a//b'), signal('plus', 'a/+/b'), signal('lead', '/x')]);
    expect(ids(r, 'a//b')).toEqual(['lit', 'plus']);
    expect(ids(r, 'a/b')).toEqual([]);
    expect(r.match('a//b')[1].captures).toEqual({});
    expect(ids(r, '/x')).toEqual(['lead']);
    expect(ids(r, 'x')).toEqual([]);
  });

  it('returns every pattern that matches one topic, in twin order', () => {
    const r = new TopicRouter([
      signal('{pump}.temp', 'plant/north/+pump/telemetry', { path: 'bearing.temp' }),
      signal('all', 'plant/#'),
      signal('{pump}.rpm', 'plant/north/+pump/telemetry', { path: 'rpm' }),
      signal('exact', 'plant/north/pump1/telemetry'),
    ]);
    expect(ids(r, 'plant/north/pump1/telemetry')).toEqual(['{pump}.temp', 'all', '{pump}.rpm', 'exact']);
    expect(r.resolve('plant/north/pump1/telemetry').map((m) => m.id)).toEqual([
      'pump1.temp',
      'all',
      'pump1.rpm',
      'exact',
    ]);
    expect(r.resolve('plant/north/pump1/telemetry').map((m) => m.def)).toEqual([0, 1, 2, 3]);
  });

  it('returns nothing for a topic no pattern matches', () => {
    const r = new TopicRouter([signal('a', 'x/+/y')]);
    expect(r.match('x/1/z')).toEqual([]);
    expect(r.resolve('x/1/z')).toEqual([]);
  });

  it('fills labels from captures and falls back to the id', () => {
    const r = new TopicRouter([
      signal('{pump}.temp', 'p/+pump', { label: '{pump} bearing temperature', unit: '°C' }),
      signal('{pump}.raw', 'p/+pump'),
    ]);
    const [temp, raw] = r.resolve('p/pump1');
    expect(temp).toMatchObject({ id: 'pump1.temp', label: 'pump1 bearing temperature', unit: '°C' });
    expect(raw).toMatchObject({ id: 'pump1.raw', label: 'pump1.raw', unit: '' });
  });

  it('serves a repeated topic from the cache (same array, no new strings)', () => {
    const r = new TopicRouter([signal('{pump}.temp', 'p/+pump')]);
    const first = r.resolve('p/pump1');
    expect(r.resolve('p/pump1')).toBe(first);
    expect(r.resolve('p/pump1')[0].id).toBe(first[0].id);
  });

  it('keeps the cache bounded when topics never repeat', () => {
    const r = new TopicRouter([signal('{dev}.v', 'd/+dev')], { cacheSize: 3 });
    const first = r.resolve('d/0');
    for (let i = 1; i <= 10; i++) r.resolve(`d/${i}`);
    expect(r.resolve('d/0')).not.toBe(first); // evicted, recomputed
    expect(r.resolve('d/0')[0].id).toBe('0.v');
  });

  it('rejects an invalid pattern with the signal index', () => {
    expect(() => new TopicRouter([signal('a', 'a/#/b')])).toThrow(/signals\[0\]/);
  });
});
