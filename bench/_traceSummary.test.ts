import { describe, expect, it } from 'vitest';
import { mainThread, selfTime, summariseTrace, tasksOf, type CpuProfile, type TraceEvent } from './_traceSummary';

const meta = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
});
const task = (ts: number, durMs: number, cpuMs: number, tid = 1): TraceEvent => ({
  name: 'RunTask',
  ph: 'X',
  pid: 10,
  tid,
  ts,
  dur: durMs * 1000,
  tdur: cpuMs * 1000,
});

/** Samples every 100 µs from t=0: `hits` lists [node id, count] in time order. */
function profile(hits: [number, number][]): CpuProfile {
  const samples = hits.flatMap(([id, n]) => Array<number>(n).fill(id));
  return {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 4] },
      { id: 2, callFrame: { functionName: 'applyBatch', url: 'http://x/a.js', lineNumber: 9 }, children: [3] },
      { id: 3, callFrame: { functionName: 'push', url: 'http://x/a.js', lineNumber: 19 } },
      { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: 0 } },
    ],
    startTime: 0,
    endTime: samples.length * 100,
    samples,
    timeDeltas: samples.map((_, i) => (i === 0 ? 0 : 100)),
  };
}

describe('trace summary', () => {
  it("picks the renderer main thread of the process that runs the page's worker", () => {
    const events = [meta(5, 1, 'CrRendererMain'), meta(10, 1, 'CrRendererMain'), meta(10, 7, 'DedicatedWorker thread')];
    expect(mainThread(events)).toEqual({ pid: 10, tid: 1 });
  });

  it('lists top-level tasks with wall and CPU time and the GC inside them, not nested ones', () => {
    const events: TraceEvent[] = [
      task(0, 20, 5),
      { ...task(100, 10, 2), name: 'ThreadControllerImpl::RunTask' },
      { name: 'MinorGC', ph: 'X', pid: 10, tid: 1, ts: 1000, dur: 3000 },
      task(30_000, 2, 2),
      task(40_000, 9, 9, 2),
    ];
    expect(tasksOf(events, { pid: 10, tid: 1 })).toEqual([
      { ts: 0, wallMs: 20, cpuMs: 5, gcMs: 3, tool: false },
      { ts: 30_000, wallMs: 2, cpuMs: 2, gcMs: 0, tool: false },
    ]);
  });

  it("leaves DevTools' own tasks (starting the profiler) out of the figures", () => {
    const events: TraceEvent[] = [
      meta(10, 1, 'CrRendererMain'),
      task(0, 90, 30),
      { name: 'CpuProfiler::StartProfiling', ph: 'X', pid: 10, tid: 1, ts: 10, dur: 80_000 },
      task(100_000, 4, 4),
    ];
    const lines = summariseTrace(events, profile([]), { thresholdMs: 16 });
    expect(lines[0]).toContain('1 tasks (1 of DevTools left out)');
    expect(lines[1]).toContain('longest 4.0 ms');
  });

  it('says a task was preempted when its CPU time is under half its wall time', () => {
    const events: TraceEvent[] = [meta(10, 1, 'CrRendererMain'), task(0, 40, 8)];
    const lines = summariseTrace(events, profile([[3, 80]]), { thresholdMs: 16 });
    expect(lines.find((l) => l.includes('40.0 ms wall'))).toContain('preempted');
  });

  it('counts self time per function inside a window, and under a given caller', () => {
    const p = profile([
      [3, 30],
      [4, 10],
      [2, 5],
    ]);
    expect(selfTime(p, 0, 3000)).toEqual([{ name: 'push a.js:20', ms: 3 }]);
    const under = selfTime(p, -Infinity, Infinity, (chain) => chain.includes('applyBatch'));
    expect(under).toEqual([
      { name: 'push a.js:20', ms: 3 },
      { name: 'applyBatch a.js:10', ms: 0.5 },
    ]);
  });
});
