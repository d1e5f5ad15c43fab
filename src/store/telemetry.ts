/**
 * Latest values and bounded history per signal, on the main thread. This is deliberately not
 * React state: the scene reads it in useFrame and panels poll it on a throttle, so telemetry never
 * causes a React render per message. `version` changes once per applied batch.
 */
import type { SignalInfo, TelemetryBatch } from '../engine/protocol';
import { QUALITY_GAP, SAMPLE_STRIDE, VALUE_KINDS } from '../engine/protocol';
import { SampleRing, sharedChunkPool } from '../lib/ringBuffer';
import { freshUntil, readingCondition, type ReadingCondition } from '../lib/staleness';
import { formatAge, formatReading, statesByNumber } from '../lib/format';

/** Default history: one hour at 10 Hz per signal. */
export const DEFAULT_HISTORY_CAPACITY = 36_000;
/**
 * All signals together keep at most this many history samples (16 bytes each: 64 MiB). A twin with
 * a few dozen signals keeps the full hour each; one with 10,000 signals keeps the newest 400 samples
 * each, so a kiosk's memory stays flat whatever the twin.
 */
export const DEFAULT_HISTORY_BUDGET = 4_000_000;
/** Gaps remembered for the timeline; older ones fall off. */
export const MAX_GAPS = 100;

export { QUALITY_GAP, QUALITY_DEAD, QUALITY_SUSPECT } from '../engine/protocol';

/** A stretch of time with no data because the broker lost the session while we were away. */
export interface Gap {
  from: number;
  to: number;
}

/** A signal's value at a moment, as the historian's snapshot gives it (GET /api/history/v1/snapshot). */
export interface SnapshotValue {
  signal: string;
  t: number;
  v: number | null;
  text?: string;
  quality: number;
}

/** A reading as shown to people: value text, age text, and its condition (state word and reason). */
export interface Reading extends ReadingCondition {
  /** The value as text ("64.3 °C", "true", "RUNNING", "-5", the text itself), "—" with none. */
  value: string;
  /** "3 s ago", or "no value yet". */
  age: string;
}

export class TelemetryStore {
  readonly signals: SignalInfo[] = [];
  private readonly byId = new Map<string, number>();
  latest = new Float64Array(64).fill(NaN);
  times = new Float64Array(64);
  /** Quality bits per signal (QUALITY_*); a new value clears QUALITY_GAP. Read per frame, no allocation. */
  quality = new Uint8Array(64);
  /** Samples received per signal since the twin loaded (diagnostics: per-signal rate). */
  counts = new Float64Array(64);
  /** Expected update period per signal in ms (0: none), from the twin definition's `period`. */
  periods = new Float64Array(64);
  /** 1 for signals that do not come through the broker (HTTP sources): the connection does not make them stale. */
  independent = new Uint8Array(64);
  /** What kind of value each signal carries: an index into VALUE_KINDS (0: number). */
  kinds = new Uint8Array(64);
  /**
   * The latest text of text signals (their `latest` is NaN), by index; only the latest is kept, so
   * it is bounded by the number of signals. Undefined for signals that never sent text.
   */
  readonly texts: (string | undefined)[] = [];
  /**
   * Until when (ms) each signal's value counts as fresh: its time plus STALE_PERIODS periods, Infinity
   * without a period, -Infinity with no value or bad quality. Kept up to date as values and quality
   * arrive, so `isStale`, asked per bound part per frame, reads one number instead of four.
   */
  freshUntil = new Float64Array(64).fill(-Infinity);
  /** Whether the broker connection is up; every broker value is stale while it is not. */
  online = false;
  /** Outages the broker did not bridge (clean session), oldest first, at most MAX_GAPS. */
  readonly gaps: Gap[] = [];
  private periodByDef: readonly (number | null)[] = [];
  private independentByDef: readonly boolean[] = [];
  private statesByDef: readonly (ReadonlyMap<number, string> | null)[] = [];
  readonly history: SampleRing[] = [];
  /** Increments on every applied batch; readers compare it to skip work when nothing changed. */
  version = 0;
  /**
   * Increments when a signal turns stale other than by time passing: a value that arrives already
   * stale (old timestamp), a quality flag, a gap. Readers that keep staleness between frames recheck
   * it when this moves, and otherwise only on their own timer.
   */
  staleEvents = 0;
  /**
   * Increments on `reset` (a new session): signal indices start again from 0, so readers that keep
   * indices must look them up again.
   */
  epoch = 0;
  private readonly signalListeners = new Set<() => void>();

  /**
   * Replay overlay: while `replayAt` is set, `latest`, `times`, `quality`, `texts` and `freshUntil`
   * (what the scene and panels read) show that moment, and live batches go to the `live*` copies
   * instead, still filling the history rings; `leaveReplay` puts the live values back. Staleness is
   * then judged against `replayAt`, whatever clock readers pass.
   */
  private replayMoment: number | null = null;
  /**
   * True while the page shows a recording (src/app/recordingOpen.ts): what the worker sends is
   * ignored, since the signals and history are the file's.
   */
  private recordingShown = false;
  private liveLatest = new Float64Array(64).fill(NaN);
  private liveTimes = new Float64Array(64);
  private liveQuality = new Uint8Array(64);
  private liveTexts: (string | undefined)[] = [];
  /** Per signal, in replay: 1 when the tab's own history reached back to the moment shown. */
  private replayCovered = new Uint8Array(64);

  private ringCapacity: number;
  /** A prepareSlabs() task is scheduled. */
  private preparing = false;

  constructor(
    private readonly historyCapacity = DEFAULT_HISTORY_CAPACITY,
    private readonly historyBudget = DEFAULT_HISTORY_BUDGET,
  ) {
    this.ringCapacity = historyCapacity;
  }

  addSignals(added: readonly SignalInfo[]): void {
    if (this.recordingShown) return;
    for (const info of added) {
      if (info.index >= this.latest.length) this.grow(info.index + 1);
      this.signals[info.index] = info;
      this.byId.set(info.id, info.index);
      this.periods[info.index] = this.periodByDef[info.def] ?? 0;
      this.independent[info.index] = this.independentByDef[info.def] ? 1 : 0;
      this.refreshFreshness(info.index);
      // Rings grow a chunk at a time from a shared pool (lib/ringBuffer.ts): thousands of signals
      // outgrowing their storage in the same batch allocate no ArrayBuffer each.
      this.history[info.index] = new SampleRing(this.ringCapacity);
    }
    this.shareHistoryBudget();
    if (added.length) for (const l of this.signalListeners) l();
  }

  applyBatch(batch: TelemetryBatch): void {
    if (this.replayMoment !== null || this.recordingShown) {
      if (!this.recordingShown) this.applyBatchAside(batch);
      return;
    }
    const s = batch.samples;
    const now = Date.now();
    let staleArrivals = 0;
    for (let k = 0; k < batch.count; k++) {
      const o = k * SAMPLE_STRIDE;
      const i = s[o];
      const v = s[o + 1];
      const t = s[o + 2];
      const ring = this.history[i];
      if (ring === undefined) continue; // a sample for a signal we were never told about: ignore
      this.latest[i] = v;
      this.times[i] = t;
      this.quality[i] &= ~QUALITY_GAP;
      this.refreshFreshness(i);
      if (!(now <= this.freshUntil[i])) staleArrivals++;
      this.counts[i]++;
      ring.push(t, v);
    }
    if (batch.texts) for (const t of batch.texts) if (this.history[t.index] !== undefined) this.texts[t.index] = t.text;
    if (batch.kinds) for (const k of batch.kinds) if (k.index < this.kinds.length) this.kinds[k.index] = k.kind;
    if (staleArrivals > 0) this.staleEvents++;
    this.version++;
    this.prepareSlabs();
  }

  /**
   * Has the rings' pool make the slabs the next batches will grow into, one per task after this one
   * (lib/ringBuffer.ts, ChunkPool.prepare): the memory's first touch then costs a task of its own
   * instead of lengthening a batch.
   */
  private prepareSlabs(): void {
    if (this.preparing || !sharedChunkPool.wantsPreparing) return;
    this.preparing = true;
    const step = () => {
      if (sharedChunkPool.prepare()) setTimeout(step, 0);
      else this.preparing = false;
    };
    setTimeout(step, 0);
  }

  /** In replay: the batch fills the history and the live values kept aside; the moment shown stays. */
  private applyBatchAside(batch: TelemetryBatch): void {
    const s = batch.samples;
    for (let k = 0; k < batch.count; k++) {
      const o = k * SAMPLE_STRIDE;
      const i = s[o];
      const ring = this.history[i];
      if (ring === undefined) continue;
      this.liveLatest[i] = s[o + 1];
      this.liveTimes[i] = s[o + 2];
      this.liveQuality[i] &= ~QUALITY_GAP;
      this.counts[i]++;
      ring.push(s[o + 2], s[o + 1]);
    }
    if (batch.texts)
      for (const t of batch.texts) if (this.history[t.index] !== undefined) this.liveTexts[t.index] = t.text;
    if (batch.kinds) for (const k of batch.kinds) if (k.index < this.kinds.length) this.kinds[k.index] = k.kind;
    this.version++;
  }

  /** The moment shown while replaying, or null when live. */
  get replayAt(): number | null {
    return this.replayMoment;
  }

  /**
   * Shows moment `at` (ms): each signal's last sample at or before it, from the tab's own history.
   * The first call sets the live values aside. Returns the ids of signals whose history does not
   * reach back that far (a historian's snapshot may fill them in with `applySnapshot`).
   */
  showMoment(at: number): string[] {
    if (this.replayMoment === null) {
      this.liveLatest.set(this.latest);
      this.liveTimes.set(this.times);
      this.liveQuality.set(this.quality);
      this.liveTexts = this.texts.slice();
    }
    this.replayMoment = at;
    const missing: string[] = [];
    const textKind = VALUE_KINDS.indexOf('text');
    for (let i = 0; i < this.signals.length; i++) {
      const ring = this.history[i];
      const info = this.signals[i];
      if (ring === undefined || info === undefined) continue;
      const j = lastAtOrBefore(ring, at);
      if (j < 0) {
        this.latest[i] = NaN;
        this.times[i] = 0;
        this.quality[i] = 0;
        this.texts[i] = undefined;
        this.replayCovered[i] = 0;
        missing.push(info.id);
      } else {
        const v = ring.valueAt(j);
        this.latest[i] = v;
        this.times[i] = ring.timeAt(j);
        // NaN in a number signal's history is a gap's break; in a text signal, a text value (its text
        // is not kept in history: the live text is shown if it was already there at that moment).
        const isText = this.kinds[i] === textKind;
        this.quality[i] = Number.isNaN(v) && !isText ? QUALITY_GAP : 0;
        this.texts[i] = isText && this.liveTimes[i] <= at ? this.liveTexts[i] : undefined;
        this.replayCovered[i] = 1;
      }
      this.refreshFreshness(i);
    }
    this.staleEvents++;
    this.version++;
    return missing;
  }

  /**
   * Values a historian had at the moment shown, for the signals the tab's history did not reach;
   * ignored when live or once the cursor moved on (`at` is not the moment shown).
   */
  applySnapshot(at: number, values: readonly SnapshotValue[]): void {
    if (this.replayMoment !== at) return;
    for (const sv of values) {
      const i = this.indexOf(sv.signal);
      if (i < 0 || this.replayCovered[i] === 1 || !(sv.t <= at)) continue;
      this.latest[i] = sv.v === null ? NaN : sv.v;
      this.times[i] = sv.t;
      this.quality[i] = sv.quality & 0xff;
      this.texts[i] = sv.text;
      this.refreshFreshness(i);
    }
    this.staleEvents++;
    this.version++;
  }

  /** Back to live: the newest values, including everything that arrived while replaying. */
  leaveReplay(): void {
    if (this.replayMoment === null) return;
    this.replayMoment = null;
    this.latest.set(this.liveLatest);
    this.times.set(this.liveTimes);
    this.quality.set(this.liveQuality);
    this.texts.length = 0;
    for (let i = 0; i < this.liveTexts.length; i++) this.texts[i] = this.liveTexts[i];
    for (let i = 0; i < this.signals.length; i++) this.refreshFreshness(i);
    this.staleEvents++;
    this.version++;
  }

  /**
   * Shows a recording instead of live data: the signals and history become the recording's (its
   * samples in time order, as one batch), and from now on the worker's messages are ignored.
   */
  openRecording(signals: readonly SignalInfo[], batch: TelemetryBatch): void {
    this.recordingShown = false;
    this.reset();
    this.addSignals(signals);
    this.applyBatch(batch);
    this.recordingShown = true;
    this.online = true; // a recording's values are judged by their own times, not today's connection
  }

  /** Whether a recording is shown (the worker's messages are ignored). */
  get showingRecording(): boolean {
    return this.recordingShown;
  }

  /** Named states (the twin's `map`) of each signal definition, by definition index, to show values by name. */
  setDefinitionStates(maps: readonly (Readonly<Record<string, number>> | undefined)[]): void {
    this.statesByDef = maps.map(statesByNumber);
  }

  /**
   * Whether signal `index` is live, and if not which word says so (stale, suspect, dead, or no value
   * yet) and why: the rule `isStale` answers as a yes/no (see lib/staleness.ts).
   */
  condition(index: number, now: number): ReadingCondition {
    const known = index >= 0 && index < this.signals.length && this.signals[index] !== undefined;
    return readingCondition({
      time: known ? this.times[index] : 0,
      now: this.replayMoment ?? now,
      periodMs: known ? this.periods[index] : 0,
      // A past moment is judged by its own values, not by today's connection.
      online: this.online || this.replayMoment !== null,
      independent: known && this.independent[index] === 1,
      quality: known ? this.quality[index] : 0,
    });
  }

  /**
   * Signal `index`'s reading as people read it, everywhere a value is shown: the value as what it
   * is (state name, true/false, integer, text, measurement), its age, and its condition.
   */
  reading(index: number, now: number, unit = ''): Reading {
    const condition = this.condition(index, now);
    if (condition.state === 'none') return { value: '—', age: condition.reason, ...condition };
    const value = this.formatValueOf(index, this.latest[index], unit, this.texts[index]);
    return { value, age: formatAge((this.replayMoment ?? now) - this.times[index]), ...condition };
  }

  /** A value of signal `index` (its latest, or one an alarm recorded) formatted as what that signal carries. */
  formatValueOf(index: number, value: number, unit = '', text?: string): string {
    const info = index >= 0 ? this.signals[index] : undefined;
    if (info === undefined) return formatReading(value, text, { unit });
    return formatReading(value, text, {
      unit,
      kind: VALUE_KINDS[this.kinds[index]],
      states: this.statesByDef[info.def] ?? null,
    });
  }

  /**
   * The expected period (ms, or null) of each twin signal definition, by definition index, and which
   * definitions do not come through the broker (HTTP sources); signals added later take theirs from it.
   */
  setDefinitionPeriods(periods: readonly (number | null)[], brokerIndependent: readonly boolean[] = []): void {
    this.periodByDef = periods;
    this.independentByDef = brokerIndependent;
    for (let i = 0; i < this.signals.length; i++) {
      const info = this.signals[i];
      if (!info) continue;
      this.periods[i] = periods[info.def] ?? 0;
      this.independent[i] = brokerIndependent[info.def] ? 1 : 0;
      this.refreshFreshness(i);
    }
  }

  /**
   * Whether signal `index` should be drawn as stale at time `now` (ms): the connection is down, it
   * never had a value, it missed STALE_PERIODS of its period, or its source declared it dead or
   * incomplete. Cheap enough to call per signal per frame.
   */
  isStale(index: number, now: number): boolean {
    const at = this.replayMoment;
    if (at !== null) return !(at <= this.freshUntil[index]);
    if (!this.online && this.independent[index] === 0) return true;
    return !(now <= this.freshUntil[index]);
  }

  /** Sets or clears quality bits of one signal (e.g. a Sparkplug death or sequence gap). */
  setQuality(index: number, bits: number, on: boolean): void {
    if (index < 0 || index >= this.quality.length || this.recordingShown) return;
    if (this.replayMoment !== null) {
      this.liveQuality[index] = on ? this.liveQuality[index] | bits : this.liveQuality[index] & ~bits;
      return;
    }
    this.quality[index] = on ? this.quality[index] | bits : this.quality[index] & ~bits;
    this.refreshFreshness(index);
    this.staleEvents++;
  }

  /** Recomputes `freshUntil` of one signal from its time, period and quality. */
  private refreshFreshness(i: number): void {
    this.freshUntil[i] = freshUntil(this.times[i], this.periods[i], this.quality[i]);
  }

  /**
   * The broker lost our session between `from` and `to`: data from that stretch is missing. Every
   * history gets a break (a NaN sample at `from`, so trends do not draw a line across it) and every
   * signal is flagged QUALITY_GAP until its next value arrives.
   */
  markGap(from: number, to: number): void {
    if (this.recordingShown) return;
    this.gaps.push({ from, to });
    if (this.gaps.length > MAX_GAPS) this.gaps.splice(0, this.gaps.length - MAX_GAPS);
    for (let i = 0; i < this.signals.length; i++) {
      const ring = this.history[i];
      if (ring === undefined) continue;
      const last = ring.length > 0 ? ring.timeAt(ring.length - 1) : -Infinity;
      ring.push(Math.max(from, last), NaN);
      if (this.replayMoment !== null) {
        this.liveQuality[i] |= QUALITY_GAP;
        continue;
      }
      this.quality[i] |= QUALITY_GAP;
      this.freshUntil[i] = -Infinity;
    }
    this.staleEvents++;
    this.version++;
  }

  /** Samples each signal's history keeps now: the default, or less once many signals share the budget. */
  get historyCapacityPerSignal(): number {
    return this.ringCapacity;
  }

  private shareHistoryBudget(): void {
    const count = this.byId.size;
    const share = Math.max(1, Math.min(this.historyCapacity, Math.floor(this.historyBudget / Math.max(1, count))));
    if (share >= this.ringCapacity) return;
    this.ringCapacity = share;
    for (const ring of this.history) ring?.limit(share);
  }

  /** The index of a signal id, or -1 while no message has produced it yet. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  value(id: string): number {
    const i = this.indexOf(id);
    return i < 0 ? NaN : this.latest[i];
  }

  time(id: string): number {
    const i = this.indexOf(id);
    return i < 0 ? NaN : this.times[i];
  }

  /** Called when new signals appear (structure, not values). Returns its own unsubscribe. */
  onSignalsAdded(listener: () => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  reset(): void {
    this.replayMoment = null;
    this.recordingShown = false;
    this.liveTexts.length = 0;
    this.signals.length = 0;
    this.byId.clear();
    this.history.length = 0;
    this.ringCapacity = this.historyCapacity;
    this.latest.fill(NaN);
    this.times.fill(0);
    this.quality.fill(0);
    this.counts.fill(0);
    this.periods.fill(0);
    this.independent.fill(0);
    this.kinds.fill(0);
    this.texts.length = 0;
    this.freshUntil.fill(-Infinity);
    this.gaps.length = 0;
    this.online = false;
    this.staleEvents++;
    this.epoch++;
    this.version++;
    for (const l of this.signalListeners) l();
  }

  private grow(min: number): void {
    let n = this.latest.length;
    while (n < min) n *= 2;
    const latest = new Float64Array(n).fill(NaN);
    latest.set(this.latest);
    const times = new Float64Array(n);
    times.set(this.times);
    this.latest = latest;
    this.times = times;
    const quality = new Uint8Array(n);
    quality.set(this.quality);
    this.quality = quality;
    const counts = new Float64Array(n);
    counts.set(this.counts);
    this.counts = counts;
    const periods = new Float64Array(n);
    periods.set(this.periods);
    this.periods = periods;
    const independent = new Uint8Array(n);
    independent.set(this.independent);
    this.independent = independent;
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const freshUntil = new Float64Array(n).fill(-Infinity);
    freshUntil.set(this.freshUntil);
    this.freshUntil = freshUntil;
    const liveLatest = new Float64Array(n).fill(NaN);
    liveLatest.set(this.liveLatest);
    this.liveLatest = liveLatest;
    const liveTimes = new Float64Array(n);
    liveTimes.set(this.liveTimes);
    this.liveTimes = liveTimes;
    const liveQuality = new Uint8Array(n);
    liveQuality.set(this.liveQuality);
    this.liveQuality = liveQuality;
    const covered = new Uint8Array(n);
    covered.set(this.replayCovered);
    this.replayCovered = covered;
  }
}

/** Index of the newest sample at or before `t` in a ring (times in order), or -1 when all are later. */
export function lastAtOrBefore(ring: SampleRing, t: number): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.timeAt(mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The app's one telemetry store. */
export const telemetry = new TelemetryStore();
