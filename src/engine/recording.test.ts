import { describe, expect, it } from 'vitest';
import { parseRecording, recordLine, valueLine } from './recording';

describe('parseRecording', () => {
  it('reads message lines and decoded-value lines in time order, skipping blanks and null gaps', () => {
    const text = [
      recordLine({ t: 1, topic: 'a/b', payload: '{"x":1}' }),
      '',
      valueLine({ t: 2, signal: 'tank1.level', value: 52.1 }),
      valueLine({ t: 3, signal: 'pump.mode', value: "auto'; drop table x" }),
      valueLine({ t: 4, signal: 'pump.on', value: true }),
      valueLine({ t: 5, signal: 'tank1.level', value: null }),
    ].join('\n');
    expect(parseRecording(text)).toEqual({
      ok: true,
      messages: [{ t: 1, topic: 'a/b', payload: '{"x":1}' }],
      values: [
        { t: 2, signal: 'tank1.level', value: 52.1 },
        { t: 3, signal: 'pump.mode', value: "auto'; drop table x" },
        { t: 4, signal: 'pump.on', value: true },
      ],
    });
  });

  it('names the first bad line and returns nothing from it', () => {
    const bad = (lines: string[]) => parseRecording(lines.join('\n'));
    expect(bad(['{"t":1,"signal":"a","value":{}}'])).toEqual({
      ok: false,
      line: 1,
      error: '"value" must be a number, text, true/false or null',
    });
    expect(bad(['', '{"t":1,"signal":"","value":1}'])).toMatchObject({
      ok: false,
      line: 2,
      error: '"signal" must be a signal id',
    });
    expect(bad(['{"t":5,"signal":"a","value":1}', '{"t":4,"topic":"x","payload":""}'])).toMatchObject({
      line: 2,
      error: '"t" goes back in time',
    });
    expect(bad(['{"t":1}'])).toMatchObject({ line: 1, error: expect.stringMatching(/"topic" must be text/) });
    expect(bad(['{"t":1,"topic":"x","payload":1}'])).toMatchObject({ error: '"payload" must be text' });
    expect(bad(['[1]'])).toMatchObject({ error: 'not a JSON object' });
  });
});
