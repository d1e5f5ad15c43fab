/** What both bench pages report: counters plus the main thread's long tasks. */
export interface BenchState {
  online: boolean;
  /** MQTT messages that reached the measured end of the path. */
  messages: number;
  readings: number;
  /** performance.now() of the first and last counted arrival (same clock within a page). */
  firstAt: number;
  lastAt: number;
  /** Longest main-thread task seen by the long-task observer (> 50 ms only), 0 when none. */
  longestTaskMs: number;
  /** When it began, epoch ms (performance.timeOrigin + its startTime), 0 when none. */
  longestTaskAt: number;
  longTasks: number;
  /** Longest single handling of a worker message on the main thread (our own code), ms. */
  longestHandlerMs: number;
  /** When it began (epoch ms), and what it handled: the message's type and its readings, if a batch. */
  longestHandlerAt: number;
  longestHandlerOf: string;
  /** Each handling over 8 ms (the first 100): ms since the last reset, how long, what it handled. */
  slowHandlers: { at: number; ms: number; of: string }[];
}

export interface BenchApi {
  state(): BenchState;
  /** Zeroes the counters and the long-task record. */
  reset(): void;
}

/** Records long tasks (the browser reports those over 50 ms) on the page's main thread. */
export function watchLongTasks(): {
  longest: () => number;
  longestAt: () => number;
  count: () => number;
  reset: () => void;
} {
  let longest = 0;
  let longestAt = 0;
  let count = 0;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        count++;
        if (entry.duration > longest) {
          longest = entry.duration;
          longestAt = performance.timeOrigin + entry.startTime;
        }
      }
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // No long-task support: reported as none.
  }
  return {
    longest: () => longest,
    longestAt: () => longestAt,
    count: () => count,
    reset: () => {
      longest = longestAt = 0;
      count = 0;
    },
  };
}

export function expose(api: BenchApi): void {
  (window as unknown as { bench: BenchApi }).bench = api;
}
