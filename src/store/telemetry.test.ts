import { describe, expect, it } from 'vitest';
import { QUALITY_DEAD, QUALITY_GAP, TelemetryStore } from './telemetry';
import type { SignalInfo } from '../engine/protocol';

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
