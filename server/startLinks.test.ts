import { describe, expect, it } from 'vitest';
import { chooseStartTwin, dashboardLine, twinLink } from './startLinks';

const base = 'http://127.0.0.1:5173';

describe('the links npm start prints', () => {
  it('opens the demo twin when the server has it', () => {
    const twins = [
      { id: 'a-plant', valid: true },
      { id: 'pump-station', valid: true },
    ];
    expect(dashboardLine(base, twins)).toBe(`${base}/?twin=pump-station`);
  });

  it('links a twin the server really serves when the demo is not among them', () => {
    const twins = [
      { id: 'broken', valid: false },
      { id: 'north plant', valid: true },
    ];
    expect(chooseStartTwin(twins)?.id).toBe('north plant');
    expect(dashboardLine(base, twins)).toBe(`${base}/?twin=north%20plant`);
  });

  it('says when the only twins have problems, and when there are none', () => {
    expect(dashboardLine(base, [{ id: 'broken', valid: false }])).toBe(
      `${base}/?twin=broken (this twin has problems: the page lists them)`,
    );
    expect(dashboardLine(base, [])).toMatch(/^http:\/\/127\.0\.0\.1:5173\/ \(no twins found/);
  });

  it('falls back to the start page when the list could not be read', () => {
    expect(dashboardLine(base, null)).toBe(`${base}/`);
  });

  it('encodes the folder name', () => {
    expect(twinLink(base, 'a&b c')).toBe(`${base}/?twin=a%26b%20c`);
  });
});
