import { describe, expect, it } from 'vitest';
import {
  captureName,
  guessId,
  guessRange,
  guessSignal,
  guessUnit,
  nameWords,
  sparkplugPattern,
  templateTopic,
  varyingLevels,
} from './signalGuess';
import { signalSchema } from '../twin/schema';

describe('unit guesses', () => {
  it('splits names into words at separators and camelCase', () => {
    expect(nameWords('bearingTemp_C')).toEqual(['bearing', 'temp', 'c']);
  });

  it('reads the quantity a name says', () => {
    expect(guessUnit('temp')).toBe('°C');
    expect(guessUnit('bearing.temperature')).toBe('°C');
    expect(guessUnit('outlet_pressure')).toBe('bar');
    expect(guessUnit('humidity')).toBe('%');
  });

  it('lets a unit word or suffix win over the quantity', () => {
    expect(guessUnit('temp_f')).toBe('°F');
    expect(guessUnit('tempF')).toBe('°F');
    expect(guessUnit('pressure_kpa')).toBe('kPa');
    expect(guessUnit('level_pct')).toBe('%');
    expect(guessUnit('power_kw')).toBe('kW');
  });

  it('is conservative: no unit for names that do not say one, for lone letters, booleans or text', () => {
    expect(guessUnit('level')).toBeUndefined();
    expect(guessUnit('value')).toBeUndefined();
    expect(guessUnit('c')).toBeUndefined();
    expect(guessUnit('temp', 'boolean')).toBeUndefined();
    expect(guessUnit('temp', 'string')).toBeUndefined();
  });
});

describe('range guesses', () => {
  it('adds a margin to the values seen and rounds outwards', () => {
    expect(guessRange(40, 80)).toEqual([30, 90]);
    expect(guessRange(1.2, 1.6)).toEqual([1.1, 1.7]);
  });

  it('does not go below zero when no value seen was negative', () => {
    expect(guessRange(2, 100)).toEqual([0, 150]);
    expect(guessRange(-5, 5)).toEqual([-10, 10]);
  });

  it('gives a constant value a range around it', () => {
    const [low, high] = guessRange(50, 50)!;
    expect(low).toBeLessThan(50);
    expect(high).toBeGreaterThan(50);
  });

  it('gives booleans [0, 1] and percentages [0, 100]', () => {
    expect(guessRange(1, 1, { kind: 'boolean' })).toEqual([0, 1]);
    expect(guessRange(20, 60, { unit: '%' })).toEqual([0, 100]);
  });

  it('has no range when nothing was seen', () => {
    expect(guessRange(Infinity, -Infinity)).toBeUndefined();
  });
});

describe('ids, labels and templates', () => {
  it('takes the id from the last telling topic level and the path', () => {
    expect(guessId('plant/north/pump1/telemetry', 'bearing.temp')).toBe('pump1.bearing.temp');
    expect(guessId('plant/boiler/temp', '')).toBe('temp');
    expect(guessId('a b/x#', 'weird key!')).toBe('x.weird_key');
    expect(guessId('data', '[0]')).toBe('0');
  });

  it('makes a template from a wildcard capture', () => {
    const s = guessSignal({
      topic: 'plant/+pump/telemetry',
      path: 'bearing.temp',
      decoder: 'json',
      kind: 'number',
      min: 55,
      max: 65,
    });
    expect(s).toEqual({
      id: '{pump}.bearing.temp',
      topic: 'plant/+pump/telemetry',
      decoder: 'json',
      path: 'bearing.temp',
      label: '{pump} bearing temp',
      unit: '°C',
      range: [50, 70],
    });
    expect(signalSchema.safeParse(s).success).toBe(true);
  });

  it('a Sparkplug metric reads births and data alike and names its metric', () => {
    const s = guessSignal({
      topic: 'spBv1.0/plant/DDATA/edge1/pump1',
      path: 'Bearing/Temp',
      decoder: 'sparkplug',
      kind: 'number',
    });
    expect(s).toMatchObject({
      topic: 'spBv1.0/plant/+/edge1/pump1',
      metric: 'Bearing/Temp',
      id: 'pump1.Bearing.Temp',
      unit: '°C',
    });
    expect(s.path).toBeUndefined();
    expect(signalSchema.safeParse(s).success).toBe(true);
    expect(sparkplugPattern('other/topic')).toBe('other/topic');
  });

  it('a plain number payload has no path', () => {
    expect(
      guessSignal({ topic: 'plant/tank/level_pct', path: '', decoder: 'number', kind: 'number', min: 10, max: 20 }),
    ).toEqual({
      id: 'level_pct',
      topic: 'plant/tank/level_pct',
      decoder: 'number',
      label: 'level pct',
      unit: '%',
      range: [0, 100],
    });
  });

  it('finds the levels that vary among seen topics and names the capture from their values', () => {
    const seen = ['plant/pump1/t', 'plant/pump2/t', 'plant/pump3/t', 'plant/tank1/level', 'other/pump1/t'];
    expect(varyingLevels('plant/pump1/t', seen)).toEqual([
      { index: 0, values: ['other', 'plant'] },
      { index: 1, values: ['pump1', 'pump2', 'pump3'] },
    ]);
    expect(templateTopic('plant/pump1/t', 1, ['pump1', 'pump2'])).toBe('plant/+pump/t');
    expect(templateTopic('plant/+pump/x1/t', 2, ['pump1', 'pump2'])).toBe('plant/+pump/+pump2/t');
  });

  it('names a capture "id" when the values share no word', () => {
    expect(captureName(['a1', 'b2'])).toBe('id');
    expect(captureName(['12', '13'])).toBe('id');
    expect(captureName(['line-a', 'line-b'])).toBe('line');
  });
});
