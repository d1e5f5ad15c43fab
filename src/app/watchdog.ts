/**
 * The kiosk's watchdog (pure: timers, and what it is handed). A wall display runs for weeks with
 * nobody at it; when its render loop stops drawing, or the engine worker stops answering, the page
 * reloads itself after a grace period and says why in a log the page keeps across reloads. A
 * reload loop is bounded: at most `maxReloadsPerHour`, then it waits, and logs that it waited.
 * Wired to the page in watchdogPage.ts; docs/kiosk.md.
 */

/** What the watchdog watches, read at each check. */
export interface WatchedPage {
  now(): number;
  /** A hidden page draws no frames (the browser stops animation frames): nothing to judge then. */
  visible(): boolean;
  /** Frames drawn so far (0 until the scene drew its first one). */
  frames(): number;
  /** Asks for one frame: the scene draws on demand, so an idle scene draws none unless asked. */
  requestFrame(): void;
  /** When the engine worker last said anything (it posts stats every second), or null with no engine. */
  engineHeardAt(): number | null;
}

export interface WatchdogTiming {
  /** How often to check. */
  checkEveryMs: number;
  /** No frame drawn for this long, though asked for, while visible: the render loop stalled. */
  renderGraceMs: number;
  /** Nothing from the engine worker for this long (its own restarts did not help): it stalled. */
  engineGraceMs: number;
}

export const DEFAULT_TIMING: WatchdogTiming = { checkEveryMs: 5_000, renderGraceMs: 60_000, engineGraceMs: 60_000 };

export interface Stall {
  kind: 'render' | 'engine';
  /** Seconds without progress. */
  seconds: number;
}

/**
 * Decides, check by check, whether the page stalled. The render check is armed by the first frame
 * (a page still loading its models, or without WebGL, has not stalled: it never ran). Time the
 * page was hidden, or the checks themselves did not run (a suspended machine), restarts the grace
 * periods instead of counting against them.
 */
export class StallDetector {
  private lastCheck: number | null = null;
  private lastFrames = 0;
  private framesOkAt = 0;
  /** Engine silence before this time does not count (the page was hidden or not running). */
  private engineCountsFrom = 0;

  constructor(
    private readonly page: WatchedPage,
    private readonly timing: WatchdogTiming,
  ) {}

  check(): Stall | null {
    const now = this.page.now();
    const frames = this.page.frames();
    const gap = this.lastCheck === null || now - this.lastCheck > 3 * this.timing.checkEveryMs;
    this.lastCheck = now;
    if (gap || !this.page.visible()) {
      this.lastFrames = frames;
      this.framesOkAt = now;
      this.engineCountsFrom = now;
      return null;
    }
    if (frames !== this.lastFrames || frames === 0) {
      this.lastFrames = frames;
      this.framesOkAt = now;
    } else {
      this.page.requestFrame();
      if (now - this.framesOkAt > this.timing.renderGraceMs)
        return { kind: 'render', seconds: Math.round((now - this.framesOkAt) / 1000) };
    }
    const heard = this.page.engineHeardAt();
    if (heard !== null) {
      const since = Math.max(heard, this.engineCountsFrom);
      if (now - since > this.timing.engineGraceMs) return { kind: 'engine', seconds: Math.round((now - since) / 1000) };
    }
    return null;
  }
}

/** One line of the watchdog's log. */
export interface WatchdogEntry {
  /** ms since the epoch */
  t: number;
  /** reload: the page reloaded itself; held: it would have, but had reloaded too often this hour. */
  kind: 'reload' | 'held';
  stall: Stall['kind'];
  seconds: number;
}

/** The log is a ring of this many entries in localStorage. */
export const LOG_LIMIT = 200;
export const LOG_KEY = 'twinview.watchdog.log';
export const DEFAULT_MAX_RELOADS_PER_HOUR = 4;
const HOUR_MS = 3_600_000;

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function isEntry(e: unknown): e is WatchdogEntry {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.t === 'number' &&
    (o.kind === 'reload' || o.kind === 'held') &&
    (o.stall === 'render' || o.stall === 'engine') &&
    typeof o.seconds === 'number'
  );
}

/** The log, oldest first; anything unreadable in storage counts as no entries. */
export function readLog(store: Store | null): WatchdogEntry[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(LOG_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

/** Appends an entry, keeping the newest `limit`. A full or absent storage loses the line, not the page. */
export function appendLog(store: Store | null, entry: WatchdogEntry, limit = LOG_LIMIT): WatchdogEntry[] {
  const log = [...readLog(store), entry].slice(-limit);
  try {
    store?.setItem(LOG_KEY, JSON.stringify(log));
  } catch {
    // Quota or privacy mode: the reload still happens.
  }
  return log;
}

/** Reloads within the hour before `now`. */
export function reloadsInLastHour(log: readonly WatchdogEntry[], now: number): number {
  return log.filter((e) => e.kind === 'reload' && e.t > now - HOUR_MS).length;
}

export interface WatchdogOptions {
  page: WatchedPage;
  timing?: Partial<WatchdogTiming>;
  maxReloadsPerHour?: number;
  store: Store | null;
  reload(): void;
}

/**
 * Checks every `checkEveryMs`; on a stall, reloads (and logs why) unless the hour's reloads are used
 * up: then it logs once that it held back, and reloads when the hour allows, if still stalled.
 */
export class Watchdog {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly detector: StallDetector;
  private readonly timing: WatchdogTiming;
  private held = false;

  constructor(private readonly options: WatchdogOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.detector = new StallDetector(options.page, this.timing);
  }

  start(): void {
    if (this.timer !== null) return;
    this.detector.check(); // the baseline
    this.timer = setInterval(() => this.check(), this.timing.checkEveryMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const stall = this.detector.check();
    if (stall === null) {
      this.held = false;
      return;
    }
    const { store, page } = this.options;
    const now = page.now();
    const max = this.options.maxReloadsPerHour ?? DEFAULT_MAX_RELOADS_PER_HOUR;
    if (reloadsInLastHour(readLog(store), now) >= max) {
      if (!this.held) appendLog(store, { t: now, kind: 'held', stall: stall.kind, seconds: stall.seconds });
      this.held = true;
      return;
    }
    appendLog(store, { t: now, kind: 'reload', stall: stall.kind, seconds: stall.seconds });
    this.stop();
    this.options.reload();
  }
}

export interface WatchdogSettings {
  enabled: boolean;
  timing: Partial<WatchdogTiming>;
  /** `?log=1`: the kiosk shows the log. */
  showLog: boolean;
  /** `?testHooks=1`: `window.twinviewTest` can freeze the engine (end-to-end tests only). */
  testHooks: boolean;
}

/** Shortest grace a URL may set: below it a slow software-rendered frame would count as a stall. */
export const MIN_GRACE_MS = 5_000;

/**
 * The kiosk's URL: `watchdog=off`, or `watchdog=<duration>` for both grace periods (at least 5 s;
 * anything else keeps the default), `log=1`, `testHooks=1`.
 */
export function watchdogSettings(search: string, parseDuration: (d: string) => number | null): WatchdogSettings {
  const params = new URLSearchParams(search);
  const raw = params.get('watchdog');
  const grace = raw === null || raw === 'off' ? null : parseDuration(raw);
  const timing: Partial<WatchdogTiming> =
    grace !== null && grace >= MIN_GRACE_MS
      ? { renderGraceMs: grace, engineGraceMs: grace, checkEveryMs: Math.min(DEFAULT_TIMING.checkEveryMs, grace / 5) }
      : {};
  return {
    enabled: raw !== 'off',
    timing,
    showLog: params.get('log') === '1',
    testHooks: params.get('testHooks') === '1',
  };
}
