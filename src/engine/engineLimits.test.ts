import { describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { makeTwin } from './testTwins';

describe('Engine memory bounds', () => {
  it('stops making signals from new names beyond maxSignals, and counts the refused messages', () => {
    const engine = new Engine(
      makeTwin({ signals: [{ id: '{dev}.v', topic: 'site/+dev/v', decoder: 'number' }], rules: [] }),
      { maxSignals: 3 },
    );
    for (let i = 0; i < 10; i++) engine.handleMessage(`site/dev${i}/v`, String(i));
    expect(engine.signals().map((s) => s.id)).toEqual(['dev0.v', 'dev1.v', 'dev2.v']);
    expect(engine.stats().rejected['too-many-signals']).toBe(7);
    // Known signals keep updating.
    engine.handleMessage('site/dev1/v', '42');
    expect(engine.value('dev1.v')).toBe(42);
  });
});
