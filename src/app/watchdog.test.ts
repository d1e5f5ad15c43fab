import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendLog, LOG_KEY, readLog, Watchdog, watchdogSettings, type WatchdogEntry } from './watchdog';

/** A page whose frames, visibility and engine the test drives; an in-memory localStorage. */
function fakePage() {
  const state = { frames: 0, visible: true, engineHeardAt: null as number | null, frameRequests: 0 };
  const page = {
    now: () => Date.now(),
    visible: () => state.visible,
    frames: () => state.frames,
    requestFrame: () => {
      state.frameRequests++;
    },
    engineHeardAt: () => state.engineHeardAt,
  };
  return { state, page };
}

function memoryStore() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

const timing = { checkEveryMs: 1000, renderGraceMs: 10_000, engineGraceMs: 10_000 };

describe('Watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reloads when frames stop advancing while visible, asking for a frame first, and logs why', () => {
    const { state, page } = fakePage();
    const store = memoryStore();
    const reload = vi.fn();
    const dog = new Watchdog({ page, timing, store, reload });
    dog.start();
    for (let i = 0; i < 5; i++) {
      state.frames++;
      vi.advanceTimersByTime(1000);
    }
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000); // no frame since
    expect(state.frameRequests).toBeGreaterThan(0);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(readLog(store)).toEqual([{ t: Date.now(), kind: 'reload', stall: 'render', seconds: 11 }]);
    // It stopped: no second reload while the page goes away.
    vi.advanceTimersByTime(60_000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not count a scene that never drew (still loading, or no WebGL) as stalled', () => {
    const { page } = fakePage();
    const reload = vi.fn();
    new Watchdog({ page, timing, store: memoryStore(), reload }).start();
    vi.advanceTimersByTime(120_000);
    expect(reload).not.toHaveBeenCalled();
  });

  it('raises no false alarm while the tab is hidden, and gives the full grace again when it shows', () => {
    const { state, page } = fakePage();
    const reload = vi.fn();
    state.frames = 10;
    state.engineHeardAt = Date.now();
    new Watchdog({ page, timing, store: memoryStore(), reload }).start();
    state.visible = false; // no frames, engine messages held back by the browser
    vi.advanceTimersByTime(300_000);
    expect(reload).not.toHaveBeenCalled();
    state.visible = true;
    state.engineHeardAt = Date.now();
    vi.advanceTimersByTime(9_000);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(3_000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('counts a suspended machine (checks that did not run) as no stall', () => {
    const { state, page } = fakePage();
    const reload = vi.fn();
    state.frames = 3;
    new Watchdog({ page, timing, store: memoryStore(), reload }).start();
    vi.setSystemTime(Date.now() + 600_000); // the clock jumps; timers did not fire meanwhile
    vi.advanceTimersByTime(1000);
    expect(reload).not.toHaveBeenCalled();
  });

  it('reloads when the engine worker has said nothing for the grace period', () => {
    const { state, page } = fakePage();
    const store = memoryStore();
    const reload = vi.fn();
    state.engineHeardAt = Date.now();
    new Watchdog({ page, timing, store, reload }).start();
    for (let i = 0; i < 20; i++) {
      state.engineHeardAt = Date.now(); // stats every second
      vi.advanceTimersByTime(1000);
    }
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(11_000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(readLog(store)[0]).toMatchObject({ kind: 'reload', stall: 'engine' });
  });

  it('backs off: no more than the hourly number of reloads, logs once that it held back, then resumes', () => {
    const { state, page } = fakePage();
    const store = memoryStore();
    const reload = vi.fn();
    // Three reloads in the last hour already (the page came back stalled each time).
    for (const ago of [50, 30, 10])
      appendLog(store, { t: Date.now() - ago * 60_000, kind: 'reload', stall: 'engine', seconds: 60 });
    state.engineHeardAt = Date.now();
    new Watchdog({ page, timing, maxReloadsPerHour: 3, store, reload }).start();
    vi.advanceTimersByTime(5 * 60_000);
    expect(reload).not.toHaveBeenCalled();
    expect(readLog(store).filter((e) => e.kind === 'held')).toHaveLength(1);
    // The oldest reload leaves the hour 10 minutes in: the next check reloads.
    vi.advanceTimersByTime(5 * 60_000 + 1000);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(readLog(store).at(-1)).toMatchObject({ kind: 'reload', stall: 'engine' });
  });
});

describe('the log', () => {
  it('keeps the newest entries up to its limit, oldest first', () => {
    const store = memoryStore();
    for (let t = 0; t < 8; t++) appendLog(store, { t, kind: 'reload', stall: 'render', seconds: 1 }, 5);
    expect(readLog(store).map((e) => e.t)).toEqual([3, 4, 5, 6, 7]);
  });

  it('reads unreadable or foreign storage as empty, skipping entries of the wrong shape', () => {
    const store = memoryStore();
    store.setItem(LOG_KEY, '{not json');
    expect(readLog(store)).toEqual([]);
    const good: WatchdogEntry = { t: 1, kind: 'held', stall: 'engine', seconds: 2 };
    store.setItem(LOG_KEY, JSON.stringify([good, { t: 'x' }, null, '<img src=x>']));
    expect(readLog(store)).toEqual([good]);
    expect(readLog(null)).toEqual([]);
  });

  it('survives a storage that refuses to write', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(appendLog(full, { t: 1, kind: 'reload', stall: 'render', seconds: 1 })).toHaveLength(1);
  });
});

describe('watchdogSettings', () => {
  const parse = (d: string) => (/^(\d+)s$/.exec(d) ? Number(d.slice(0, -1)) * 1000 : null);

  it('is on with the default timing unless the URL says otherwise', () => {
    expect(watchdogSettings('?twin=a&mode=kiosk', parse)).toEqual({
      enabled: true,
      timing: {},
      showLog: false,
      testHooks: false,
    });
    expect(watchdogSettings('?watchdog=off', parse).enabled).toBe(false);
  });

  it('takes a grace period of at least 5 s from the URL and checks often enough for it', () => {
    expect(watchdogSettings('?watchdog=10s', parse).timing).toEqual({
      renderGraceMs: 10_000,
      engineGraceMs: 10_000,
      checkEveryMs: 2_000,
    });
    expect(watchdogSettings('?watchdog=1s', parse).timing).toEqual({});
    expect(watchdogSettings('?watchdog=soon', parse)).toMatchObject({ enabled: true, timing: {} });
  });

  it('shows the log and the test hooks only when asked', () => {
    expect(watchdogSettings('?log=1&testHooks=1', parse)).toMatchObject({ showLog: true, testHooks: true });
  });
});
