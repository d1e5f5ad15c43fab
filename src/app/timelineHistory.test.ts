import { describe, expect, it } from 'vitest';
import {
  fetchExport,
  fetchSnapshot,
  fetchTransitions,
  historyUrl,
  parseSnapshot,
  parseTransitions,
} from './timelineHistory';

const respond =
  (status: number, body: string, type = 'application/json') =>
  () =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': type } }));

describe('timeline history client', () => {
  it('encodes every query value', () => {
    expect(historyUrl('snapshot', { twin: 'a b&c', at: 5 })).toBe('/api/history/v1/snapshot?twin=a%20b%26c&at=5');
  });

  it('reads transitions, dropping what is not an audit entry, in time order', () => {
    const res = parseTransitions({
      transitions: [
        { t: 20, alarmId: 'a', event: 'clear', state: 'normal', priority: 'high' },
        { t: 10, alarmId: 'a', event: 'raise', state: 'active', priority: 'high', value: 97 },
        { t: 'x', alarmId: 'a', event: 'raise', state: 'active' },
        { t: 30, alarmId: 'a', event: 'explode', state: 'active' },
      ],
    });
    expect(res).toEqual({
      ok: true,
      value: [
        { t: 10, alarmId: 'a', event: 'raise', state: 'active', priority: 'high', value: 97 },
        { t: 20, alarmId: 'a', event: 'clear', state: 'normal', priority: 'high' },
      ],
    });
    expect(parseTransitions({}).ok).toBe(false);
  });

  it('reads a snapshot and refuses a malformed one', () => {
    expect(parseSnapshot({ values: [{ signal: 's', t: 1, v: null, quality: 2, text: 'x' }] })).toEqual({
      ok: true,
      value: [{ signal: 's', t: 1, v: null, quality: 2, text: 'x' }],
    });
    expect(parseSnapshot({ values: [{ signal: 's', t: 1, v: 'hot' }] })).toMatchObject({ ok: false, kind: 'error' });
  });

  it('takes no historian (404, 503, network error, an HTML page) for unavailable', async () => {
    const q = { twin: 't', at: 1 };
    expect(await fetchSnapshot(respond(404, '{}'), q)).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(await fetchSnapshot(respond(503, 'x'), q)).toMatchObject({ ok: false, kind: 'unavailable' });
    expect(await fetchSnapshot(() => Promise.reject(new TypeError('failed')), q)).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
    expect(await fetchSnapshot(respond(200, '<html></html>', 'text/html'), q)).toMatchObject({
      ok: false,
      kind: 'unavailable',
    });
  });

  it('passes on the historian’s reason for a refused question', async () => {
    const body = JSON.stringify({
      error: { code: 'bad-parameter', message: '"to" must be after "from"', parameter: 'to' },
    });
    expect(await fetchTransitions(respond(400, body), { twin: 't', from: 2, to: 1 })).toEqual({
      ok: false,
      kind: 'error',
      message: '"to" must be after "from"',
    });
  });

  it('returns the export as text', async () => {
    const line = '{"t":1,"signal":"s","value":2}\n';
    expect(await fetchExport(respond(200, line, 'application/x-ndjson'), { twin: 't', from: 0, to: 5 })).toEqual({
      ok: true,
      value: line,
    });
  });
});
