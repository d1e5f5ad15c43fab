import { describe, expect, it } from 'vitest';
import { filterProblems, type ModelNames } from './problemsBox';

const names = Array.from({ length: 200 }, (_, i) => `Part_${i}`);
const models: ModelNames[] = [{ asset: 'station', missing: ['station/Pump9_Motor'], names: [...names, 'Valve.001'] }];
const notices = ['pump.glb: could not be loaded (404)', 'station/Pump9_Motor: no node "Pump9_Motor" in the model'];

describe('filterProblems', () => {
  it('keeps everything, every name included, with no filter', () => {
    const v = filterProblems(notices, models, '  ');
    expect(v.notices).toEqual(notices);
    expect(v.models[0].names).toHaveLength(201);
  });

  it('keeps the notices and names that contain every word of the filter, in any case', () => {
    const v = filterProblems(notices, models, 'VALVE');
    expect(v.notices).toEqual([]);
    expect(v.models[0].names).toEqual(['Valve.001']);
    expect(filterProblems(notices, models, 'glb 404').notices).toEqual([notices[0]]);
  });

  it('keeps a model’s names whole when the filter names its asset or a missing node', () => {
    expect(filterProblems(notices, models, 'pump9').models[0].names).toHaveLength(201);
  });

  it('drops a model none of whose names match', () => {
    expect(filterProblems(notices, models, 'nothing-like-this').models).toEqual([]);
  });
});
