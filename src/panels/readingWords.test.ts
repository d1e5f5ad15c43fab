import { describe, expect, it } from 'vitest';
import { conditionText, reasonText } from './readingWords';
import { REASON_GAP, REASON_NO_VALUE, readingCondition } from '../lib/staleness';
import { testT } from '../i18n/testing';

const en = testT('en');
const de = testT('de');

describe('reading condition words', () => {
  it('keeps the English words of the condition rule', () => {
    expect(conditionText('stale', en)).toBe('stale');
    expect(reasonText(REASON_GAP, en)).toBe(REASON_GAP);
    expect(reasonText(REASON_NO_VALUE, en)).toBe('no value yet');
  });

  it('says the condition and its reason in German, durations included', () => {
    expect(conditionText('dead', de)).toBe('tot');
    expect(reasonText(REASON_GAP, de)).toBe('Daten während der Trennung verloren');
    const late = readingCondition({
      time: 1000,
      now: 31_000,
      periodMs: 5000,
      online: true,
      independent: false,
      quality: 0,
    });
    expect(late.state).toBe('stale');
    expect(reasonText(late.reason, de)).toMatch(/^keine Aktualisierung seit 30 s, erwartet alle 5 s$/);
  });

  it('leaves a reason it does not know as it came', () => {
    expect(reasonText('something new', de)).toBe('something new');
  });
});
