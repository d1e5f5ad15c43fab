import { describe, expect, it } from 'vitest';
import { bindingSchema } from '../twin/schema';
import { changeKind, COLOR_STATES, EFFECT_KINDS, effectKind, startingEffect, writtenEffect } from './bindingForm';

describe('EFFECT_KINDS', () => {
  it('lists every effect of the schema in its order', () => {
    expect(EFFECT_KINDS.map((k) => k.kind)).toEqual([
      'colorThresholds',
      'colorRamp',
      'spin',
      'scale',
      'visible',
      'rotate',
      'translate',
      'label',
    ]);
  });

  it('reads each field with its kind, default and description', () => {
    const thresholds = effectKind('colorThresholds')!;
    expect(thresholds.fields).toEqual([
      {
        name: 'stops',
        kind: { type: 'stops', min: 1 },
        required: true,
        description: '[value, colour]: from this value upwards, this colour',
      },
      {
        name: 'below',
        kind: { type: 'color' },
        required: false,
        default: 'normal',
        description: 'Colour below the first stop',
      },
    ]);
    expect(effectKind('colorRamp')!.fields[0].kind).toEqual({ type: 'stops', min: 2 });
    expect(effectKind('spin')!.fields.find((f) => f.name === 'axis')).toMatchObject({
      kind: { type: 'enum', options: ['x', 'y', 'z'] },
      default: 'y',
    });
    expect(effectKind('rotate')!.fields.map((f) => [f.name, f.kind.type, f.required])).toEqual([
      ['axis', 'enum', false],
      ['range', 'pair', true],
      ['angles', 'pair', false],
    ]);
    expect(effectKind('label')!.fields.map((f) => [f.name, f.kind.type, f.required])).toEqual([
      ['text', 'string', false],
      ['offset', 'vec3', false],
    ]);
    expect(effectKind('visible')!.fields[0]).toMatchObject({ name: 'when', default: 'truthy' });
  });

  it('knows the colour state names', () => {
    expect(COLOR_STATES).toEqual(['normal', 'warning', 'alarm', 'critical', 'info', 'off']);
  });
});

describe('startingEffect', () => {
  it('gives every kind an effect the schema accepts', () => {
    for (const { kind } of EFFECT_KINDS) {
      const parsed = bindingSchema.safeParse({ signal: 's', node: 'a/b', effect: startingEffect(kind) });
      expect(parsed.success, kind).toBe(true);
    }
  });

  it('puts a threshold at 80 % of the signal range, a ramp and a fill across it', () => {
    expect(startingEffect('colorThresholds', [0, 120])).toEqual({
      kind: 'colorThresholds',
      stops: [[96, 'alarm']],
      below: 'normal',
    });
    expect(startingEffect('colorRamp', [10, 30])).toEqual({
      kind: 'colorRamp',
      stops: [
        [10, 'normal'],
        [30, 'alarm'],
      ],
    });
    expect(startingEffect('scale', [0, 5])).toMatchObject({ range: [0, 5], axis: 'y' });
  });
});

describe('writtenEffect', () => {
  it('leaves out fields at their default and empty optional text', () => {
    expect(writtenEffect({ kind: 'spin', axis: 'y', rpmPerUnit: 2, maxRpm: 120 })).toEqual({
      kind: 'spin',
      rpmPerUnit: 2,
    });
    expect(writtenEffect({ kind: 'label', text: '' })).toEqual({ kind: 'label' });
    expect(writtenEffect({ kind: 'colorThresholds', stops: [[80, 'alarm']], below: 'normal' })).toEqual({
      kind: 'colorThresholds',
      stops: [[80, 'alarm']],
    });
  });

  it('drops fields the kind does not have', () => {
    expect(writtenEffect({ kind: 'visible', when: 'falsy', stops: [[1, 'alarm']] })).toEqual({
      kind: 'visible',
      when: 'falsy',
    });
  });
});

describe('changeKind', () => {
  it('keeps the stops from thresholds to a ramp when there are enough', () => {
    const ramp = changeKind(
      {
        kind: 'colorThresholds',
        stops: [
          [50, 'warning'],
          [90, 'alarm'],
        ],
      },
      'colorRamp',
    );
    expect(ramp).toEqual({
      kind: 'colorRamp',
      stops: [
        [50, 'warning'],
        [90, 'alarm'],
      ],
    });
  });

  it('starts the ramp afresh from one threshold (a ramp needs two stops)', () => {
    expect(changeKind({ kind: 'colorThresholds', stops: [[80, 'alarm']] }, 'colorRamp', [0, 10])).toEqual({
      kind: 'colorRamp',
      stops: [
        [0, 'normal'],
        [10, 'alarm'],
      ],
    });
  });

  it('keeps axis and range from rotate to translate', () => {
    expect(changeKind({ kind: 'rotate', axis: 'x', range: [0, 5], angles: [0, 90] }, 'translate')).toEqual({
      kind: 'translate',
      axis: 'x',
      range: [0, 5],
      distance: [0, 1],
    });
  });
});
