/**
 * The one time cursor every screen part reads (zustand): which moment the dashboard shows. In `live`
 * mode `at` follows the wall clock (advanced by `tick`, which the timeline calls a few times a second;
 * readers that need the exact now use `cursorTime`); in `replay` mode `at` is a past moment the operator
 * or a recording chose, and while `playing` it advances at `speed` times real time.
 *
 * `range` is a window someone asked the data views to show (the embed's "set time range", a recording's
 * span); null means the default window around `at`. Actions take no clock argument: the store reads the
 * clock it was made with, so tests make their own with `createTimeCursor(fakeNow)`.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand';

export type CursorMode = 'live' | 'replay';

export interface TimeRange {
  from: number;
  to: number;
}

export interface TimeCursorState {
  mode: CursorMode;
  /** The moment shown, ms since the epoch. */
  at: number;
  playing: boolean;
  /** Playback rate, a multiple of real time (1, 5, 10, 30, 60). */
  speed: number;
  range: TimeRange | null;
  /** Where playback started (the cursor) and when (the wall clock); `at` is derived from them while playing. */
  playFrom: number;
  playStartedAt: number;
  /** Back to following now; the range is cleared and playback stops. */
  goLive(): void;
  /** Shows the moment `t` (replay), clamped to the range and to now; playback continues from there if it was on. */
  seek(t: number): void;
  /** Plays from `at` at `speed` (or the current speed); in live mode only the speed is remembered. */
  play(speed?: number): void;
  pause(): void;
  /** Sets the window the data views show; a replay cursor is kept inside it. Throws on a bad range. */
  setRange(from: number, to: number): void;
  /** Advances `at`: to now when live, along the playback when playing. Ends playback at the range's end, and goes live on reaching now. */
  tick(): void;
}

export type TimeCursorStore = UseBoundStore<StoreApi<TimeCursorState>>;

export const PLAY_SPEEDS: readonly number[] = [1, 5, 10, 30, 60];

/** `t` kept within `[from, to]`. */
export function clampTime(t: number, from: number, to: number): number {
  return t < from ? from : t > to ? to : t;
}

/** The playback position: `start` advanced by the wall time since `startedAt` times `speed`. */
export function playbackPosition(start: number, startedAt: number, now: number, speed: number): number {
  return start + Math.max(0, now - startedAt) * speed;
}

/** The latest moment the cursor may show: the range's end if set, and never past now. */
export function cursorLimit(range: TimeRange | null, now: number): number {
  return range ? Math.min(range.to, now) : now;
}

/** The moment the cursor shows at `now`, without waiting for the next tick. */
export function cursorTime(
  s: Pick<TimeCursorState, 'mode' | 'at' | 'playing' | 'speed' | 'range' | 'playFrom' | 'playStartedAt'>,
  now: number,
): number {
  if (s.mode === 'live') return now;
  if (!s.playing) return s.at;
  return Math.min(playbackPosition(s.playFrom, s.playStartedAt, now, s.speed), cursorLimit(s.range, now));
}

/** Why a range is refused, or null when it is usable. */
export function rangeProblem(from: number, to: number): string | null {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'from and to must be finite numbers (ms since the epoch)';
  if (from >= to) return 'from must be before to';
  return null;
}

export function createTimeCursor(now: () => number = Date.now): TimeCursorStore {
  return create<TimeCursorState>((set, get) => {
    const clampSeek = (t: number, range: TimeRange | null): number => {
      const limit = cursorLimit(range, now());
      return range ? clampTime(t, Math.min(range.from, limit), limit) : Math.min(t, limit);
    };
    return {
      mode: 'live',
      at: now(),
      playing: false,
      speed: 1,
      range: null,
      playFrom: 0,
      playStartedAt: 0,
      goLive: () => set({ mode: 'live', at: now(), playing: false, range: null }),
      seek: (t) => {
        if (!Number.isFinite(t)) throw new Error(`seek: the time must be a finite number, got ${String(t)}`);
        const at = clampSeek(t, get().range);
        set({ mode: 'replay', at, playFrom: at, playStartedAt: now() });
      },
      play: (speed) => {
        const s = get();
        const next = speed ?? s.speed;
        if (!Number.isFinite(next) || next <= 0)
          throw new Error(`play: the speed must be a positive number, got ${String(speed)}`);
        if (s.mode === 'live') {
          set({ speed: next });
          return;
        }
        const at = cursorTime(s, now());
        set({ speed: next, playing: true, at, playFrom: at, playStartedAt: now() });
      },
      pause: () => {
        const s = get();
        if (!s.playing) return;
        set({ playing: false, at: cursorTime(s, now()) });
      },
      setRange: (from, to) => {
        const problem = rangeProblem(from, to);
        if (problem) throw new Error(`setRange: ${problem}`);
        const range = { from, to };
        const s = get();
        if (s.mode === 'live') {
          set({ range });
          return;
        }
        const at = clampSeek(cursorTime(s, now()), range);
        set({ range, at, playFrom: at, playStartedAt: now() });
      },
      tick: () => {
        const s = get();
        const t = now();
        if (s.mode === 'live') {
          if (s.at !== t) set({ at: t });
          return;
        }
        if (!s.playing) return;
        const pos = playbackPosition(s.playFrom, s.playStartedAt, t, s.speed);
        if (!s.range && pos >= t) {
          s.goLive();
          return;
        }
        const limit = cursorLimit(s.range, t);
        if (pos >= limit) set({ at: limit, playing: false });
        else if (pos !== s.at) set({ at: pos });
      },
    };
  });
}

/** The dashboard's cursor. */
export const useTimeCursor: TimeCursorStore = createTimeCursor();
