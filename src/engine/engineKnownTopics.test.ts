import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { makeTwin } from './testTwins';

// The engine reads a topic it has seen from its own [def, index] pairs, not the router's route objects.
describe('Engine: topics already seen', () => {
  const twin = () => makeTwin({ signals: [{ id: '{dev}.v', topic: 'site/+dev/v', decoder: 'number' }], rules: [] });

  it('refuses a topic over the signal limit every time, not only the first', () => {
    const engine = new Engine(twin(), { maxSignals: 1 });
    engine.handleMessage('site/a/v', '1');
    engine.handleMessage('site/b/v', '2');
    engine.handleMessage('site/b/v', '3');
    engine.handleMessage('site/a/v', '4');
    expect(engine.stats().rejected['too-many-signals']).toBe(2);
    expect(engine.signals().map((s) => s.id)).toEqual(['a.v']);
    expect(engine.value('a.v')).toBe(4);
  });

  it('names the signal of a bad value on a known topic, and keeps its last good value', () => {
    const engine = new Engine(twin());
    engine.handleMessage('site/b/v', '5');
    engine.handleMessage('site/a/v', '1');
    engine.handleMessage('site/a/v', 'not a number');
    const reject = engine.stats().lastRejects.at(-1);
    expect(reject).toMatchObject({ topic: 'site/a/v', signal: 'a.v' });
    expect(engine.value('a.v')).toBe(1);
    expect(engine.value('b.v')).toBe(5);
  });

  it('keeps routing topics beyond the known-topic bound (the router cache size)', () => {
    const engine = new Engine(twin(), { topicCacheSize: 1 });
    for (let i = 0; i < 3; i++) for (const dev of ['a', 'b', 'c']) engine.handleMessage(`site/${dev}/v`, String(i));
    expect(engine.signals().map((s) => s.id)).toEqual(['a.v', 'b.v', 'c.v']);
    expect(['a.v', 'b.v', 'c.v'].map((id) => engine.value(id))).toEqual([2, 2, 2]);
  });
});
