/**
 * How long one thread ran and how long it waited for a core, in a window of time, from Linux's
 * /proc/<pid>/task/<tid>/schedstat (time on a CPU, time runnable but waiting on the run queue, both in
 * nanoseconds since the thread began). The ingest bench samples the page's main thread while it
 * streams, so a long task seen in an untraced round (the long-task observer, our handler's own clock)
 * can be told apart: slow code runs, a preempted thread waits. Parsing and the window are pure (unit
 * tested); reading is Linux only and records nothing elsewhere.
 */
import { readFileSync } from 'node:fs';

export interface SchedSample {
  /** Wall-clock time of the reading, epoch ms (the pages report their tasks on the same clock). */
  at: number;
  runMs: number;
  waitMs: number;
}

/** One schedstat line: "<run ns> <wait ns> <timeslices>"; null when it is not one. */
export function parseSchedstat(line: string): { runMs: number; waitMs: number } | null {
  const [run, wait] = line.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(run) || !Number.isFinite(wait)) return null;
  return { runMs: run / 1e6, waitMs: wait / 1e6 };
}

export interface SchedWindow {
  /** The span the two readings around the window cover (at least the window, by one interval or less each side). */
  spanMs: number;
  runMs: number;
  waitMs: number;
}

/**
 * What the thread did around [from, to] (epoch ms): the last reading at or before `from` to the first
 * at or after `to`. Null when the readings do not cover the window.
 */
export function schedAround(samples: readonly SchedSample[], from: number, to: number): SchedWindow | null {
  let before: SchedSample | undefined;
  let after: SchedSample | undefined;
  for (const s of samples) {
    if (s.at <= from) before = s;
    if (s.at >= to) {
      after = s;
      break;
    }
  }
  if (!before || !after) return null;
  return { spanMs: after.at - before.at, runMs: after.runMs - before.runMs, waitMs: after.waitMs - before.waitMs };
}

/** A thread's run and wait time so far; null when it cannot be read (gone, or not Linux). */
export function readSchedstat(pid: number, tid: number): { runMs: number; waitMs: number } | null {
  try {
    return parseSchedstat(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Reads a thread's schedstat every `everyMs` until stopped; an unreadable file stops it quietly. */
export function sampleSchedstat(pid: number, tid: number, everyMs = 4): { stop(): SchedSample[] } {
  const path = `/proc/${pid}/task/${tid}/schedstat`;
  const samples: SchedSample[] = [];
  const read = (): boolean => {
    try {
      const s = parseSchedstat(readFileSync(path, 'utf8'));
      if (s) samples.push({ at: Date.now(), ...s });
      return s !== null;
    } catch {
      return false; // gone, or not Linux
    }
  };
  const timer = read() ? setInterval(() => read() || clearInterval(timer), everyMs) : undefined;
  return {
    stop: () => {
      if (timer) {
        clearInterval(timer);
        read();
      }
      return samples;
    },
  };
}

/** "ran 4 ms, waited 48 ms for a core (in 60 ms of readings)", or '' without readings. */
export function describeSched(w: SchedWindow | null): string {
  if (!w) return '';
  return `ran ${w.runMs.toFixed(1)} ms, waited ${w.waitMs.toFixed(1)} ms for a core (in ${w.spanMs.toFixed(0)} ms of readings)`;
}
