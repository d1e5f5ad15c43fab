import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { twinSchema } from './schema';
import { signalMeta } from './signalMeta';

const twin = twinSchema.parse(JSON.parse(readFileSync('models/pump-station/twin.json', 'utf8')));

describe('signalMeta', () => {
  it('fills the label from the template captures and takes unit and period from the definition', () => {
    expect(signalMeta(twin, 'pump2.temp')).toEqual({ label: 'pump2 bearing temperature', unit: '°C', periodMs: 2000 });
  });

  it('answers an unknown id with the id itself', () => {
    expect(signalMeta(twin, 'nope.x')).toEqual({ label: 'nope.x', unit: '', periodMs: null });
  });

  it('answers repeated questions from its cache (panels ask several times a second)', () => {
    expect(signalMeta(twin, 'tank1.level')).toBe(signalMeta(twin, 'tank1.level'));
  });
});
