import { describe, expect, it } from 'vitest';
import { SampleRing } from '../lib/ringBuffer';
import { makeTwin, signal } from '../engine/testTwins';
import { definitionOf, historyToRecording, parseRecordingFile, recordingFileName } from './recordingFile';

describe('reading a recording file', () => {
  it('reads message lines and value lines, skipping blank lines and gaps', () => {
    const text = [
      '{"t":1000,"topic":"plant/a","payload":"{\\"x\\":1}"}',
      '',
      '{"t":1500,"signal":"tank1.level","value":52.1}',
      '{"t":1600,"signal":"tank1.level","value":null}',
      '{"t":2000,"signal":"pump1.state","value":"RUNNING"}',
    ].join('\n');
    expect(parseRecordingFile(text)).toEqual({
      ok: true,
      messages: [{ t: 1000, topic: 'plant/a', payload: '{"x":1}' }],
      values: [
        { t: 1500, signal: 'tank1.level', value: 52.1 },
        { t: 2000, signal: 'pump1.state', value: 'RUNNING' },
      ],
      from: 1000,
      to: 2000,
    });
  });

  it('names the first bad line and why', () => {
    const good = '{"t":1,"signal":"s","value":1}';
    expect(parseRecordingFile(`${good}\n${good}\n{"t":2,"signal":"s","value":1`)).toEqual({
      ok: false,
      line: 3,
      error: 'not JSON',
    });
    expect(parseRecordingFile(`${good}\n{"t":0,"signal":"s","value":1}`)).toMatchObject({
      ok: false,
      line: 2,
      error: expect.stringMatching(/back in time/),
    });
    expect(parseRecordingFile('{"t":1,"signal":"s","value":{"a":1}}')).toMatchObject({
      ok: false,
      line: 1,
      error: expect.stringMatching(/"value"/),
    });
    expect(parseRecordingFile('{"t":"noon","topic":"a","payload":"1"}')).toMatchObject({
      ok: false,
      line: 1,
      error: expect.stringMatching(/"t"/),
    });
    expect(parseRecordingFile('{"t":1,"topic":"a","payload":1}')).toMatchObject({
      ok: false,
      line: 1,
      error: expect.stringMatching(/"payload"/),
    });
    expect(parseRecordingFile('{"t":1,"hello":"world"}')).toMatchObject({
      ok: false,
      line: 1,
      error: expect.stringMatching(/neither/),
    });
    expect(parseRecordingFile('[1]')).toMatchObject({ ok: false, line: 1, error: 'not a JSON object' });
  });

  it('refuses a file with nothing in it', () => {
    expect(parseRecordingFile('\n\n')).toEqual({ ok: false, line: 0, error: 'no messages or values' });
  });
});

describe('writing a span of history', () => {
  const ring = (id: string, samples: [number, number][]) => {
    const r = new SampleRing(100);
    for (const [t, v] of samples) r.push(t, v);
    return {
      id,
      length: r.length,
      timeAt: (i: number) => r.timeAt(i),
      valueAt: (i: number) => r.valueAt(i),
      indexAtOrAfter: (t: number) => r.indexAtOrAfter(t),
    };
  };

  it('writes value lines of the span in time order, without gaps', () => {
    const text = historyToRecording(
      [
        ring('a', [
          [100, 1],
          [200, NaN],
          [300, 3],
          [900, 9],
        ]),
        ring('b', [[250, 2.5]]),
      ],
      150,
      500,
    );
    expect(text).toBe('{"t":250,"signal":"b","value":2.5}\n{"t":300,"signal":"a","value":3}\n');
    expect(parseRecordingFile(text).ok).toBe(true);
  });

  it('writes nothing for an empty span', () => {
    expect(historyToRecording([ring('a', [[100, 1]])], 200, 300)).toBe('');
  });
});

describe('signal definitions of concrete ids', () => {
  it('matches a templated id and gives its captures', () => {
    const twin = makeTwin({ signals: [signal('tank.level', 't/level'), signal('pump{pump}.temp', 'p/+pump/t')] });
    expect(definitionOf(twin, 'pump12.temp')).toEqual({ def: 1, captures: { pump: '12' } });
    expect(definitionOf(twin, 'tank.level')).toEqual({ def: 0, captures: {} });
    expect(definitionOf(twin, 'tankXlevel')).toBeNull();
  });

  it('names an export file after the twin and its span', () => {
    expect(recordingFileName('pump station/1', Date.UTC(2026, 0, 2, 3, 4, 5), Date.UTC(2026, 0, 2, 4, 0, 0))).toBe(
      'pump_station_1-2026-01-02T03-04-05-2026-01-02T04-00-00.jsonl',
    );
  });
});
