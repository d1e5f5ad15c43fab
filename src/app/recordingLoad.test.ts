import { describe, expect, it } from 'vitest';
import { makeTwin, signal } from '../engine/testTwins';
import { SAMPLE_STRIDE } from '../engine/protocol';
import { parseRecordingFile } from './recordingFile';
import { loadRecording } from './recordingLoad';

const twin = makeTwin({
  signals: [
    signal('tank{tank}.level', 'plant/+tank/telemetry', { path: 'level', label: 'Tank {tank} level', unit: '%' }),
  ],
  rules: [{ id: 'high', when: 'tank1.level > 90', priority: 'high', message: 'Tank 1 high', asset: 'site/Tank1' }],
});

function load(lines: string[]) {
  const file = parseRecordingFile(lines.join('\n'));
  if (!file.ok) throw new Error(file.error);
  return loadRecording(twin, file);
}

const sample = (r: ReturnType<typeof load>, k: number) =>
  Array.from(r.samples.subarray(k * SAMPLE_STRIDE, (k + 1) * SAMPLE_STRIDE));

describe('loading a recording', () => {
  it('decodes message lines through the twin’s signals, at the recorded times', () => {
    const r = load([
      '{"t":1000,"topic":"plant/1/telemetry","payload":"{\\"level\\":50}"}',
      '{"t":2000,"topic":"plant/1/telemetry","payload":"{\\"level\\":60}"}',
    ]);
    expect(r.signals).toEqual([{ index: 0, id: 'tank1.level', def: 0, label: 'Tank 1 level', unit: '%' }]);
    expect(r.count).toBe(2);
    expect(sample(r, 1)).toEqual([0, 60, 2000]);
    expect([r.from, r.to]).toEqual([1000, 2000]);
  });

  it('takes value lines as the twin’s signals, label and unit from the matching definition', () => {
    const r = load(['{"t":1000,"signal":"tank2.level","value":40}', '{"t":1500,"signal":"tank2.level","value":41}']);
    expect(r.signals).toEqual([{ index: 0, id: 'tank2.level', def: 0, label: 'Tank 2 level', unit: '%' }]);
    expect(sample(r, 0)).toEqual([0, 40, 1000]);
  });

  it('runs the twin’s rules over both kinds of line: the alarms the rules would have raised', () => {
    const r = load([
      '{"t":1000,"signal":"tank1.level","value":50}',
      '{"t":2000,"topic":"plant/1/telemetry","payload":"{\\"level\\":95}"}',
      '{"t":3000,"signal":"tank1.level","value":40}',
    ]);
    expect(r.signals).toHaveLength(1);
    expect(r.transitions.map((e) => [e.t, e.alarmId, e.event])).toEqual([
      [2000, 'high', 'raise'],
      [3000, 'high', 'clear'],
    ]);
  });

  it('reads a named state in a value line as the twin maps it', () => {
    const mapped = makeTwin({ signals: [signal('pump.state', 'p/state', { map: { RUNNING: 1, STOPPED: 0 } })] });
    const file = parseRecordingFile('{"t":1000,"signal":"pump.state","value":"RUNNING"}');
    if (!file.ok) throw new Error(file.error);
    const r = loadRecording(mapped, file);
    expect(Array.from(r.samples)).toEqual([0, 1, 1000]);
  });
});
