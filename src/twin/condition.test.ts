import { describe, expect, it } from 'vitest';
import { parseCondition } from './condition';

describe('parseCondition', () => {
  it('accepts the plain threshold form and lists its signal', () => {
    expect(parseCondition('pump1.temp > 95')).toMatchObject({ ok: true, signals: ['pump1.temp'] });
  });

  it('accepts expressions over several signals and lists each once', () => {
    const parsed = parseCondition('avg(tank1.level, 5m) > 80 && (pump1.running == 0 || pump1.temp - pump2.temp > 10)');
    expect(parsed).toMatchObject({ ok: true, signals: ['tank1.level', 'pump1.running', 'pump1.temp', 'pump2.temp'] });
  });

  it('keeps signal ids with "-" working', () => {
    expect(parseCondition('line_2.motor-a.temp != 0')).toMatchObject({ ok: true, signals: ['line_2.motor-a.temp'] });
  });

  it('rejects a bad expression with the reason and its 0-based position', () => {
    expect(parseCondition('pump1.temp = 95')).toEqual({ ok: false, error: 'use "==" to compare', position: 11 });
    expect(parseCondition('pump1.temp > ')).toEqual({
      ok: false,
      error: 'expected a value, found the end',
      position: 13,
    });
    expect(parseCondition('a > 1 b')).toEqual({ ok: false, error: 'unexpected "b"', position: 6 });
  });
});
