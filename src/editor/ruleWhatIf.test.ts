import { describe, expect, it } from 'vitest';
import { TopicBrowser } from './topicBrowser';
import { seenWhatIf } from './ruleWhatIf';

const T0 = 1_764_000_000_000;

/** A browser that saw pump1 and pump2 once a second: pump1 over 90 twice, for 3 s and then 4 s. */
function seen() {
  const b = new TopicBrowser();
  const pump1 = [60, 95, 96, 97, 60, 60, 92, 93, 94, 95, 60];
  pump1.forEach((v, s) =>
    b.record('plant/pump1/t', new TextEncoder().encode(JSON.stringify({ temp: v })), T0 + s * 1000),
  );
  pump1.forEach((_, s) => b.record('plant/pump2/t', new TextEncoder().encode('{"temp": 50}'), T0 + s * 1000));
  return b;
}

const signals = [{ id: '{pump}.temp', topic: 'plant/+pump/t', path: 'temp' }];

describe('rule what-if over the values seen', () => {
  it('counts how often a condition would have fired, over the span of values seen', () => {
    const out = seenWhatIf({ when: 'pump1.temp > 90' }, signals, seen());
    expect(out).toMatchObject({ ok: true, fired: 2, from: T0, to: T0 + 10_000 });
    // Only the signals the condition reads are named.
    if (out.ok) expect(out.signals).toEqual(['pump1.temp']);
  });

  it('applies the on-delay as the engine does', () => {
    expect(seenWhatIf({ when: 'pump1.temp > 90', for: '3500ms' }, signals, seen())).toMatchObject({
      ok: true,
      fired: 1,
    });
  });

  it('reads values through the signal definition: a template captures each topic, a conversion applies', () => {
    const converted = [{ ...signals[0], convert: '°C->°F' }];
    // 90 °C is 194 °F.
    expect(seenWhatIf({ when: 'pump1.temp > 194' }, converted, seen())).toMatchObject({ ok: true, fired: 2 });
    expect(seenWhatIf({ when: 'pump2.temp > 90' }, signals, seen())).toMatchObject({ ok: true, fired: 0 });
  });

  it('says which signal has no values seen, and where a condition does not parse', () => {
    expect(seenWhatIf({ when: 'pump9.temp > 1' }, signals, seen())).toMatchObject({
      ok: false,
      error: 'no recorded values of "pump9.temp"',
    });
    expect(seenWhatIf({ when: 'pump1.temp >' }, signals, seen())).toMatchObject({ ok: false, position: 12 });
    expect(seenWhatIf({ when: 'pump1.temp > 1', priority: 'huge' }, signals, seen())).toMatchObject({ ok: false });
  });

  it('replays an anomaly rule on its signal', () => {
    const out = seenWhatIf({ kind: 'anomaly', signal: 'pump1.temp', warmup: 2, sigmas: 1 }, signals, seen());
    expect(out.ok).toBe(true);
    expect(seenWhatIf({ kind: 'anomaly', signal: 'nope' }, signals, seen())).toMatchObject({ ok: false });
  });
});
