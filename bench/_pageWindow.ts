/**
 * What the machine did while a bench page was measured: how long the page's main thread ran and how
 * long it waited for a core (schedstat), and how busy all CPUs were, stolen time included (/proc/stat).
 * A round whose figures drift from the others (the binding loop three times slower for a whole round)
 * then shows whether the page ran less, waited more, or shared a busier machine. Linux only; the
 * figures are null elsewhere.
 */
import { machineLoad, pageRenderer, readMachineCpu, threadsBelow } from './_procCpu';
import { readSchedstat } from './_schedstat';

export interface PageWindow {
  ms: number;
  /** The page's main thread: time on a CPU, and runnable but waiting for one. */
  mainRanMs: number | null;
  mainWaitedMs: number | null;
  /** Share of all CPUs' time that was busy, and that the host took. */
  machineBusy: number | null;
  steal: number | null;
}

/** Starts watching now (call with the page open); `stop()` gives the window. */
export function watchPageWindow(): { stop(): PageWindow } {
  const renderer = pageRenderer(threadsBelow());
  const at = Date.now();
  const sched = renderer === undefined ? null : readSchedstat(renderer, renderer);
  const machine = readMachineCpu();
  return {
    stop() {
      const ms = Date.now() - at;
      const schedAfter = renderer === undefined ? null : readSchedstat(renderer, renderer);
      const load = machineLoad(machine, readMachineCpu());
      return {
        ms,
        mainRanMs: sched && schedAfter ? schedAfter.runMs - sched.runMs : null,
        mainWaitedMs: sched && schedAfter ? schedAfter.waitMs - sched.waitMs : null,
        machineBusy: load?.busy ?? null,
        steal: load?.steal ?? null,
      };
    },
  };
}

/** "main thread ran 12% of 8.0 s, waited 3%; machine 71% busy, 0% stolen" */
export function describePageWindow(w: PageWindow): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const parts: string[] = [];
  if (w.mainRanMs !== null && w.mainWaitedMs !== null)
    parts.push(
      `main thread ran ${pct(w.mainRanMs / w.ms)} of ${(w.ms / 1000).toFixed(1)} s, waited ${pct(w.mainWaitedMs / w.ms)}`,
    );
  if (w.machineBusy !== null && w.steal !== null)
    parts.push(`machine ${pct(w.machineBusy)} busy, ${pct(w.steal)} stolen`);
  return parts.join('; ');
}
