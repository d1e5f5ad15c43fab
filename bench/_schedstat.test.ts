import { describe, expect, it } from 'vitest';
import { describeSched, parseSchedstat, sampleSchedstat, schedAround } from './_schedstat';

describe('schedstat', () => {
  it('reads time run and time waiting, in ms, from a schedstat line', () => {
    expect(parseSchedstat('5399242 135938 3\n')).toEqual({ runMs: 5.399242, waitMs: 0.135938 });
    expect(parseSchedstat('')).toBeNull();
    expect(parseSchedstat('no numbers here')).toBeNull();
  });

  it('takes a window from the last reading before it to the first after it', () => {
    const samples = [
      { at: 1000, runMs: 10, waitMs: 5 },
      { at: 1004, runMs: 12, waitMs: 6 },
      { at: 1030, runMs: 15, waitMs: 27 },
      { at: 1062, runMs: 19, waitMs: 55 },
      { at: 1066, runMs: 22, waitMs: 56 },
    ];
    // A 56 ms task from 1005 to 1061: it ran about 7 ms and waited about 49 ms for a core.
    const w = schedAround(samples, 1005, 1061);
    expect(w).toEqual({ spanMs: 58, runMs: 7, waitMs: 49 });
    expect(describeSched(w)).toBe('ran 7.0 ms, waited 49.0 ms for a core (in 58 ms of readings)');
    // Not covered by the readings: no answer rather than a wrong one.
    expect(schedAround(samples, 990, 1010)).toBeNull();
    expect(schedAround(samples, 1050, 1070)).toBeNull();
    expect(describeSched(null)).toBe('');
  });

  it.runIf(process.platform === 'linux')('samples a live thread of this process', async () => {
    const sampler = sampleSchedstat(process.pid, process.pid, 2);
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // busy: this thread runs
    }
    await new Promise((r) => setTimeout(r, 20));
    const samples = sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const first = samples[0];
    const last = samples[samples.length - 1];
    expect(last.runMs - first.runMs).toBeGreaterThanOrEqual(20);
  });
});
