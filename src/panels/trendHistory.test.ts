import { describe, expect, it } from 'vitest';
import { fetchAlarms, fetchExport, fetchForecasts, fetchSeries, parseSeries, type Fetch } from './trendHistory';

function answer(status: number, body: unknown, type = 'application/json'): Fetch {
  return (url) => {
    calls.push(url);
    return Promise.resolve(
      new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': type },
      }),
    );
  };
}
let calls: string[] = [];
const q = { twin: 'pump station', signals: ['a.b', 'c&d'], from: 1000.4, to: 2000.2, points: 800 };

describe('fetchSeries', () => {
  it('asks with every parameter encoded and returns the points by signal, gaps as null', async () => {
    calls = [];
    const res = await fetchSeries(
      answer(200, {
        twin: 'x',
        from: 1,
        to: 2,
        series: [
          {
            signal: 'a.b',
            points: [
              { t: 2, v: null },
              { t: 1, v: 3 },
            ],
          },
        ],
      }),
      q,
    );
    expect(calls[0]).toBe(
      '/api/history/v1/series?twin=pump%20station&signals=a.b%2Cc%26d&from=1000&to=2001&points=800',
    );
    expect(res).toEqual({
      ok: true,
      value: new Map([
        [
          'a.b',
          [
            { t: 1, v: 3 },
            { t: 2, v: null },
          ],
        ],
      ]),
    });
  });

  it('reads 404, 502, 503 and a network error as no historian', async () => {
    for (const status of [404, 502, 503]) {
      expect(await fetchSeries(answer(status, { error: { code: 'unavailable', message: 'down' } }), q)).toMatchObject({
        ok: false,
        kind: 'unavailable',
      });
    }
    const offline: Fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await fetchSeries(offline, q)).toMatchObject({ ok: false, kind: 'unavailable' });
  });

  it('reads a page served instead of the API as no historian', async () => {
    expect(await fetchSeries(answer(200, '<!doctype html><p>app</p>', 'text/html'), q)).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
  });

  it("passes on the historian's reason for a refused question", async () => {
    const res = await fetchSeries(
      answer(400, { error: { code: 'bad-parameter', message: 'from must be a number', parameter: 'from' } }),
      q,
    );
    expect(res).toEqual({ ok: false, kind: 'error', message: 'from must be a number' });
  });
});

describe('parseSeries', () => {
  it('refuses a malformed answer with the reason', () => {
    expect(parseSeries({})).toMatchObject({ ok: false, message: 'history answer without "series"' });
    expect(parseSeries({ series: [{ signal: 'a', points: [{ t: 1, v: 'x' }] }] })).toMatchObject({ ok: false });
    expect(parseSeries({ series: [{ signal: 'a', points: [{ v: 1 }] }] })).toMatchObject({ ok: false });
  });
});

describe('fetchAlarms', () => {
  it('keeps the transitions a trend shades with and drops malformed ones', async () => {
    const res = await fetchAlarms(
      answer(200, {
        twin: 'x',
        transitions: [
          { t: 5, alarmId: 'hot', event: 'raise', state: 'active', priority: 'high' },
          { t: 6, alarmId: 'hot', event: 'comment' },
          { alarmId: 'hot', event: 'clear' },
        ],
      }),
      { twin: 'x', from: 0, to: 10 },
    );
    expect(res).toEqual({
      ok: true,
      value: [{ t: 5, alarmId: 'hot', event: 'raise', state: 'active', priority: 'high' }],
    });
  });
});

describe('fetchForecasts', () => {
  it('returns each signal and rule with its error and count', async () => {
    const res = await fetchForecasts(
      answer(200, {
        forecasts: [{ signal: 'a', rule: 'r', horizonMs: 1, n: 12, meanAbsError: 0.8, points: [] }, { signal: 'b' }],
      }),
      { twin: 'x', signals: ['a', 'b'], from: 0, to: 1 },
    );
    expect(res).toEqual({ ok: true, value: [{ signal: 'a', rule: 'r', n: 12, meanAbsError: 0.8 }] });
  });
});

describe('fetchExport', () => {
  it('returns the recording text, or says the historian is not there', async () => {
    expect(await fetchExport(answer(200, '{"t":1}\n', 'application/x-ndjson'), { twin: 'x', from: 0, to: 1 })).toEqual({
      ok: true,
      value: '{"t":1}\n',
    });
    expect(await fetchExport(answer(503, {}), { twin: 'x', from: 0, to: 1 })).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
  });
});
