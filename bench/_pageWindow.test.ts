import { describe, expect, it } from 'vitest';
import { describePageWindow } from './_pageWindow';

describe('describePageWindow', () => {
  it("says what the page's main thread and the machine did, in shares of the window", () => {
    expect(describePageWindow({ ms: 8000, mainRanMs: 960, mainWaitedMs: 240, machineBusy: 0.714, steal: 0.004 })).toBe(
      'main thread ran 12% of 8.0 s, waited 3%; machine 71% busy, 0% stolen',
    );
  });

  it('leaves out what could not be read', () => {
    expect(describePageWindow({ ms: 8000, mainRanMs: null, mainWaitedMs: null, machineBusy: 0.5, steal: 0 })).toBe(
      'machine 50% busy, 0% stolen',
    );
    expect(describePageWindow({ ms: 8000, mainRanMs: null, mainWaitedMs: null, machineBusy: null, steal: null })).toBe(
      '',
    );
  });
});
