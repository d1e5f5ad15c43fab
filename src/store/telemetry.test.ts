import { describe, expect, it, vi } from 'vitest';
import { CHUNK, SampleRing, sharedChunkPool } from '../lib/ringBuffer';
import { QUALITY_DEAD, QUALITY_GAP, QUALITY_SUSPECT, TelemetryStore } from './telemetry';
import { KIND_BOOLEAN, KIND_INTEGER, KIND_TEXT, type SignalInfo } from '../engine/protocol';

const info = (index: number, def = 0): SignalInfo => ({ index, id: `s${index}`, def, label: `s${index}`, unit: '' });
const batch = (...triples: [number, number, number][]) => ({
  type: 'batch' as const,
  samples: new Float64Array(triples.flat()),
  count: triples.length,
});

function store(capacity = 100) {
  const s = new TelemetryStore(capacity);
  s.setDefinitionPeriods([1000, null]);
  s.addSignals([info(0, 0), info(1, 1)]);
  s.online = true;
  return s;
}

describe('TelemetryStore staleness', () => {
  it('a signal without a value yet is stale', () => {
    expect(store().isStale(0, 1000)).toBe(true);
  });

  it('a fresh value is live, and stale after three missed periods', () => {
    const s = store();
    s.applyBatch(batch([0, 5, 10_000]));
    expect(s.isStale(0, 10_500)).toBe(false);
    expect(s.isStale(0, 13_000)).toBe(false);
    expect(s.isStale(0, 13_001)).toBe(true);
  });

  it('a signal without a period never goes stale by age', () => {
    const s = store();
    s.applyBatch(batch([1, 5, 10_000]));
    expect(s.isStale(1, 1e12)).toBe(false);
  });

  it('every value is stale while the connection is down', () => {
    const s = store();
    s.applyBatch(batch([0, 5, 10_000], [1, 6, 10_000]));
    s.online = false;
    expect(s.isStale(0, 10_001)).toBe(true);
    expect(s.isStale(1, 10_001)).toBe(true);
  });

  it('a dead source makes a value stale until the flag is cleared', () => {
    const s = store();
    s.applyBatch(batch([1, 5, 10_000]));
    s.setQuality(1, QUALITY_DEAD, true);
    expect(s.isStale(1, 10_001)).toBe(true);
    s.setQuality(1, QUALITY_DEAD, false);
    expect(s.isStale(1, 10_001)).toBe(false);
  });

  it('counts staleness that does not come from time passing, so cached looks know to recheck', () => {
    const s = store();
    const now = Date.now();
    s.applyBatch(batch([0, 5, now]));
    const before = s.staleEvents;
    s.applyBatch(batch([0, 6, now], [1, 7, now - 3_600_000]));
    expect(s.staleEvents).toBe(before); // signal 1 has no period: an old value is still live
    s.applyBatch(batch([0, 8, now - 3_600_000]));
    expect(s.staleEvents).toBe(before + 1); // arrived already stale
    s.setQuality(0, QUALITY_DEAD, true);
    expect(s.staleEvents).toBe(before + 2);
    s.markGap(now - 1000, now);
    expect(s.staleEvents).toBe(before + 3);
  });

  it('takes periods set after signals arrived', () => {
    const s = store();
    s.setDefinitionPeriods([null, 500]);
    s.applyBatch(batch([1, 5, 10_000]));
    expect(s.isStale(1, 11_501)).toBe(true);
  });
});

describe('TelemetryStore gaps', () => {
  it('marks a gap: the history gets a break and signals are flagged until their next value', () => {
    const s = store();
    s.applyBatch(batch([0, 1, 1000], [1, 2, 1000]));
    s.markGap(2000, 9000);
    expect(s.gaps).toEqual([{ from: 2000, to: 9000 }]);
    const ring = s.history[0];
    expect(ring.length).toBe(2);
    expect(ring.timeAt(1)).toBe(2000);
    expect(ring.valueAt(1)).toBeNaN();
    expect(s.quality[0] & QUALITY_GAP).toBe(QUALITY_GAP);
    expect(s.isStale(0, 9001)).toBe(true);
    // The latest value is kept (shown as stale), not replaced by NaN.
    expect(s.latest[0]).toBe(1);
    s.applyBatch(batch([0, 3, 9500]));
    expect(s.quality[0]).toBe(0);
    expect(s.isStale(0, 9600)).toBe(false);
    expect(s.quality[1] & QUALITY_GAP).toBe(QUALITY_GAP);
  });

  it('keeps at most a bounded number of gaps', () => {
    const s = store();
    for (let i = 0; i < 250; i++) s.markGap(i * 10, i * 10 + 5);
    expect(s.gaps.length).toBe(100);
    expect(s.gaps[0].from).toBe(1500);
  });

  it('history stays within its capacity whatever arrives', () => {
    const s = store(10);
    for (let i = 0; i < 1000; i++) s.applyBatch(batch([0, i, i]));
    expect(s.history[0].length).toBe(10);
    expect(s.counts[0]).toBe(1000);
    expect(s.history[0].valueAt(9)).toBe(999);
  });

  it('reset forgets values, gaps, counts and quality', () => {
    const s = store();
    s.applyBatch(batch([0, 1, 1000]));
    s.markGap(2000, 3000);
    s.reset();
    expect(s.gaps).toEqual([]);
    expect(s.counts[0]).toBe(0);
    expect(s.quality[0]).toBe(0);
    expect(s.online).toBe(false);
  });
});

describe('TelemetryStore signals outside the broker', () => {
  it('an HTTP-sourced signal is not stale just because the broker is down, only by its period', () => {
    const s = new TelemetryStore(100);
    s.setDefinitionPeriods([1000, 60_000], [false, true]);
    s.addSignals([info(0, 0), info(1, 1)]);
    s.applyBatch(batch([0, 1, 10_000], [1, 2, 10_000]));
    s.online = false;
    expect(s.isStale(0, 10_001)).toBe(true);
    expect(s.isStale(1, 10_001)).toBe(false);
    expect(s.isStale(1, 10_000 + 180_001)).toBe(true);
  });
});

describe('TelemetryStore history budget', () => {
  it('keeps the full history per signal while few signals share the budget', () => {
    const s = new TelemetryStore(1000, 100_000);
    s.addSignals(Array.from({ length: 10 }, (_, i) => info(i)));
    expect(s.historyCapacityPerSignal).toBe(1000);
  });

  it('shares one budget among many signals, so memory stays bounded whatever the twin', () => {
    const s = new TelemetryStore(36_000, 40_000);
    s.addSignals(Array.from({ length: 10 }, (_, i) => info(i)));
    for (let t = 1; t <= 5000; t++) s.applyBatch(batch([0, t, t]));
    s.addSignals(Array.from({ length: 9_990 }, (_, i) => info(i + 10)));
    expect(s.historyCapacityPerSignal).toBe(4);
    for (let t = 5001; t <= 6000; t++) s.applyBatch(batch([t % 10_000, t, t]));
    const bytes = s.history.reduce((n, ring) => n + ring.byteLength, 0);
    expect(bytes).toBeLessThanOrEqual(40_000 * 16 + 10_000 * 64 * 16);
    // Signal 0 kept its newest samples when its ring shrank.
    expect(s.history[0].timeAt(s.history[0].length - 1)).toBe(5000);
    expect(s.history[0].length).toBe(4);
  });
});

describe('TelemetryStore readings: one rule, said in words', () => {
  it('says which (stale, suspect, dead) and why, and agrees with isStale at every step', () => {
    const s = store();
    const agree = (i: number, now: number) => expect(s.condition(i, now).state !== 'live').toBe(s.isStale(i, now));
    expect(s.condition(0, 1000)).toEqual({ state: 'none', reason: 'no value yet' });
    agree(0, 1000);
    s.applyBatch(batch([0, 5, 10_000], [1, 6, 10_000]));
    expect(s.condition(0, 10_500).state).toBe('live');
    agree(0, 10_500);
    expect(s.condition(0, 14_000)).toEqual({ state: 'stale', reason: 'no update for 4 s, expected every 1 s' });
    agree(0, 14_000);
    s.setQuality(1, QUALITY_SUSPECT, true);
    expect(s.condition(1, 10_001)).toMatchObject({ state: 'suspect', reason: expect.stringMatching(/sequence gap/) });
    agree(1, 10_001);
    s.setQuality(1, QUALITY_DEAD, true);
    expect(s.condition(1, 10_001)).toMatchObject({ state: 'dead', reason: expect.stringMatching(/death certificate/) });
    agree(1, 10_001);
    s.setQuality(1, QUALITY_DEAD | QUALITY_SUSPECT, false);
    s.online = false;
    expect(s.condition(1, 10_001)).toEqual({ state: 'stale', reason: 'broker not connected' });
    agree(1, 10_001);
    s.online = true;
    s.markGap(9_000, 10_000);
    expect(s.condition(1, 10_001)).toEqual({ state: 'stale', reason: 'data lost while disconnected' });
    agree(1, 10_001);
  });

  it('shows values as what they are: integers, booleans, named states, text', () => {
    const s = new TelemetryStore(10);
    s.setDefinitionPeriods([null, null, null, null, null]);
    s.setDefinitionStates([undefined, undefined, { RUNNING: 1, STOPPED: 0 }, undefined, undefined]);
    s.addSignals([info(0, 0), info(1, 1), info(2, 2), info(3, 3), info(4, 4)]);
    s.online = true;
    s.applyBatch({
      ...batch([0, 200, 1000], [1, 1, 1000], [2, 0, 1000], [3, NaN, 1000], [4, 200, 1000]),
      kinds: [
        { index: 0, kind: KIND_INTEGER },
        { index: 1, kind: KIND_BOOLEAN },
        { index: 3, kind: KIND_TEXT },
      ],
      texts: [{ index: 3, text: '<img src=x onerror=alert(1)>' }],
    });
    expect(s.reading(0, 1000, 'rpm').value).toBe('200 rpm');
    expect(s.reading(1, 1000).value).toBe('true');
    expect(s.reading(2, 1000).value).toBe('STOPPED');
    expect(s.reading(3, 1000).value).toBe('<img src=x onerror=alert(1)>');
    expect(s.reading(4, 1000).value).toBe('200.0'); // a measurement keeps its decimals
    expect(s.reading(3, 3000)).toMatchObject({ age: '2 s ago', state: 'live' });
  });

  it('keeps only the latest text per signal, and forgets it on reset', () => {
    const s = store();
    s.applyBatch({
      ...batch([0, NaN, 1000]),
      kinds: [{ index: 0, kind: KIND_TEXT }],
      texts: [{ index: 0, text: 'a' }],
    });
    s.applyBatch({ ...batch([0, NaN, 2000]), texts: [{ index: 0, text: 'b' }] });
    expect(s.texts).toEqual(['b']);
    expect(s.reading(0, 2000).value).toBe('b');
    s.reset();
    expect(s.texts).toEqual([]);
    expect(s.kinds[0]).toBe(0);
  });

  it('a signal that never had a value says so, whatever time it is', () => {
    const s = store();
    expect(s.reading(0, 1e12)).toMatchObject({ value: '—', age: 'no value yet', state: 'none' });
    expect(s.reading(-1, 1e12)).toMatchObject({ value: '—', age: 'no value yet', state: 'none' });
  });
});

describe('TelemetryStore.formatValueOf', () => {
  it("formats any value (an alarm's) as its signal's kind, and plainly for an unknown signal", () => {
    const s = store();
    s.setDefinitionStates([{ OPEN: 1, CLOSED: 0 }, undefined]);
    s.applyBatch({ ...batch([1, 3, 1000]), kinds: [{ index: 1, kind: KIND_BOOLEAN }] });
    expect(s.formatValueOf(0, 1)).toBe('OPEN');
    expect(s.formatValueOf(1, 1)).toBe('true');
    expect(s.formatValueOf(-1, 1)).toBe('1.00');
  });
});

describe('TelemetryStore replay overlay', () => {
  it('shows each signal’s last value at or before the moment, judged against that moment', () => {
    const s = store();
    s.applyBatch(batch([0, 10, 1000], [1, 1, 1000]));
    s.applyBatch(batch([0, 20, 2000]));
    s.applyBatch(batch([0, 30, 9000]));
    const missing = s.showMoment(2500);
    expect(missing).toEqual([]);
    expect(s.latest[0]).toBe(20);
    expect(s.times[0]).toBe(2000);
    expect(s.replayAt).toBe(2500);
    // 500 ms after its value: live at that moment, whatever the wall clock passed in says.
    expect(s.isStale(0, 1e12)).toBe(false);
    expect(s.reading(0, 1e12).age).toBe(s.reading(0, 2500).age);
    s.showMoment(6000);
    expect(s.latest[0]).toBe(20);
    expect(s.isStale(0, 0)).toBe(true); // 4 s after a 1 s-period value: stale at that moment
  });

  it('names the signals whose history does not reach back to the moment', () => {
    const s = store();
    s.applyBatch(batch([0, 10, 1000], [1, 1, 5000]));
    expect(s.showMoment(2000)).toEqual(['s1']);
    expect(s.latest[1]).toBeNaN();
    expect(s.reading(1, 2000).value).toBe('—');
  });

  it('keeps live batches aside while replaying and restores the newest on leaving', () => {
    const s = store();
    s.applyBatch(batch([0, 10, 1000]));
    s.showMoment(1000);
    const version = s.version;
    s.applyBatch(batch([0, 99, 3000]));
    expect(s.latest[0]).toBe(10);
    expect(s.version).toBeGreaterThan(version);
    expect(s.history[0].length).toBe(2); // history keeps filling
    s.leaveReplay();
    expect(s.replayAt).toBeNull();
    expect(s.latest[0]).toBe(99);
    expect(s.times[0]).toBe(3000);
  });

  it('marks a gap in history as a gap at that moment', () => {
    const s = store();
    s.applyBatch(batch([0, 10, 1000]));
    s.markGap(1500, 4000);
    s.applyBatch(batch([0, 12, 4000]));
    s.showMoment(2000);
    expect(s.quality[0] & QUALITY_GAP).toBe(QUALITY_GAP);
    s.showMoment(4000);
    expect(s.quality[0]).toBe(0);
    expect(s.latest[0]).toBe(12);
  });

  it('quality changes and gaps during replay wait for live', () => {
    const s = store();
    s.applyBatch(batch([1, 5, 1000]));
    s.showMoment(1000);
    s.setQuality(1, QUALITY_DEAD, true);
    expect(s.quality[1]).toBe(0);
    s.leaveReplay();
    expect(s.quality[1] & QUALITY_DEAD).toBe(QUALITY_DEAD);
  });

  it('fills what the tab lacks from a historian snapshot of the same moment only', () => {
    const s = store();
    s.applyBatch(batch([0, 10, 1000], [1, 1, 5000]));
    s.showMoment(2000);
    s.applySnapshot(1999, [{ signal: 's1', t: 1500, v: 7, quality: 0 }]);
    expect(s.latest[1]).toBeNaN();
    s.applySnapshot(2000, [
      { signal: 's1', t: 1500, v: 7, quality: 0 },
      { signal: 's0', t: 1800, v: 55, quality: 0 }, // covered by the tab's history: not replaced
    ]);
    expect(s.latest[1]).toBe(7);
    expect(s.latest[0]).toBe(10);
  });

  it('shows the text a text signal had when it was already there at that moment', () => {
    const s = store();
    s.applyBatch({
      ...batch([1, NaN, 1000]),
      texts: [{ index: 1, text: 'RUN' }],
      kinds: [{ index: 1, kind: KIND_TEXT }],
    });
    s.showMoment(1500);
    expect(s.reading(1, 1500).value).toBe('RUN');
    s.showMoment(500);
    expect(s.reading(1, 500).value).toBe('—');
  });
});

describe('TelemetryStore showing a recording', () => {
  it('takes the recording’s signals and history and ignores the worker until reset', () => {
    const s = store();
    s.applyBatch(batch([0, 5, 1000]));
    s.openRecording([{ index: 0, id: 'rec', def: 0, label: 'rec', unit: '' }], batch([0, 1, 100], [0, 2, 200]));
    expect(s.showingRecording).toBe(true);
    expect(s.indexOf('s0')).toBe(-1);
    expect(s.indexOf('rec')).toBe(0);
    expect(s.history[0].length).toBe(2);
    s.addSignals([info(1)]);
    s.applyBatch(batch([0, 99, 300]));
    s.markGap(100, 300);
    expect(s.signals).toHaveLength(1);
    expect(s.history[0].length).toBe(2);
    s.showMoment(150);
    expect(s.latest[0]).toBe(1);
    s.reset();
    expect(s.showingRecording).toBe(false);
  });
});

describe("TelemetryStore and the rings' memory", () => {
  it('after a batch, slabs for the rings to grow into are made in tasks of their own, not in the batch', () => {
    vi.useFakeTimers();
    try {
      const s = store(100_000);
      // Rings taking every ready slab (and more, made on the spot).
      new SampleRing(40 * 256 * CHUNK, 40 * 256 * CHUNK);
      expect(sharedChunkPool.readyCount).toBe(0);
      s.applyBatch(batch([0, 5, 10_000]));
      expect(s.latest[0]).toBe(5);
      expect(sharedChunkPool.readyCount).toBe(0); // not within the batch's task
      // A quarter of a slab per task: the fourth makes one ready.
      for (let i = 0; i < 3; i++) vi.advanceTimersToNextTimer();
      expect(sharedChunkPool.readyCount).toBe(0);
      vi.advanceTimersToNextTimer();
      expect(sharedChunkPool.readyCount).toBe(1);
      vi.runAllTimers();
      expect(sharedChunkPool.readyCount).toBe(sharedChunkPool.readyTarget);
      expect(sharedChunkPool.wantsPreparing).toBe(false);
      // Nothing more to make: the next batch schedules nothing.
      s.applyBatch(batch([0, 6, 10_001]));
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
