import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTwin } from './format';

const pumpStation = JSON.parse(readFileSync('models/pump-station/twin.json', 'utf8')) as Record<string, unknown>;

describe('saved twin.json format', () => {
  it('formatting a saved twin again gives the same bytes', () => {
    const saved = formatTwin(pumpStation);
    expect(formatTwin(JSON.parse(saved))).toBe(saved);
  });

  it('puts fields in the order the schema lists them, whatever order they were written in', () => {
    const text = formatTwin({
      views: [],
      connection: { subscribe: ['#'], url: 'ws://b:1' },
      title: 'T',
      id: 'x',
    });
    expect(text).toBe(
      '{\n  "id": "x",\n  "title": "T",\n  "connection": {\n    "url": "ws://b:1",\n    "subscribe": ["#"]\n  },\n  "views": []\n}\n',
    );
  });

  it('orders the fields of each union option by that option (an effect by its kind)', () => {
    const text = formatTwin({
      id: 'x',
      bindings: [{ effect: { range: [0, 100], axis: 'y', kind: 'rotate' }, node: 'a/b', signal: 's' }],
    });
    expect(text.indexOf('"signal"')).toBeLessThan(text.indexOf('"node"'));
    expect(text.indexOf('"kind"')).toBeLessThan(text.indexOf('"axis"'));
    expect(text.indexOf('"axis"')).toBeLessThan(text.indexOf('"range"'));
  });

  it('keeps fields the schema does not know, after the known ones', () => {
    expect(formatTwin({ zeta: 1, id: 'x' })).toBe('{\n  "id": "x",\n  "zeta": 1\n}\n');
  });

  it('editing one field changes one line', () => {
    const before = formatTwin(pumpStation).split('\n');
    const edited = structuredClone(pumpStation);
    edited.title = 'South pump station';
    const after = formatTwin(edited).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['  "title": "South pump station",']);
  });

  it('writes short arrays of plain values on one line and long ones one item per line', () => {
    const long = Array.from({ length: 40 }, (_, i) => `topic/number/${i}`);
    const text = formatTwin({ id: 'x', assets: [{ id: 'a', model: 'a.glb', position: [1, 2, 3] }], tags: long });
    expect(text).toContain('"position": [1, 2, 3]');
    expect(text).toContain('    "topic/number/0",\n');
    expect(text.split('\n').every((line) => line.length <= 120 || !line.includes('['))).toBe(true);
  });

  it('ends with a newline and uses two-space indentation', () => {
    const text = formatTwin({ id: 'x', connection: { url: 'ws://b:1' } });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n    "url"');
  });
});
