/**
 * Reads a Chrome trace (CDP Tracing, 'ReportEvents') and a V8 CPU profile taken over the same span, and
 * says where a page's main thread spent its time: the task-length distribution, the longest tasks with
 * their wall time, their thread CPU time (a task much longer in wall time than in CPU time was
 * preempted, not slow) and their GC, and the functions that took the samples inside them. Pure: no
 * browser, so it is unit tested on small hand-made traces (bench/_traceSummary.test.ts).
 */

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds, the browser's monotonic clock (the CPU profile's clock too). */
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event, µs. */
  tdur?: number;
  args?: { name?: string } & Record<string, unknown>;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface MainTask {
  ts: number;
  /** Wall time, ms. */
  wallMs: number;
  /** Thread CPU time, ms (NaN when the trace has none). */
  cpuMs: number;
  /** Garbage collection inside the task, ms of wall time. */
  gcMs: number;
  /** A task of the measuring tools themselves (DevTools protocol: starting or stopping the profiler). */
  tool: boolean;
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
const GC_NAMES = new Set(['MinorGC', 'MajorGC', 'MinorMS']);

/**
 * The renderer main thread of the page: the CrRendererMain of the process that also runs a dedicated
 * worker (the engine's), else the CrRendererMain with the most task time.
 */
export function mainThread(events: readonly TraceEvent[]): { pid: number; tid: number } | null {
  const mains: { pid: number; tid: number }[] = [];
  const workerPids = new Set<number>();
  for (const e of events) {
    if (e.ph !== 'M' || e.name !== 'thread_name') continue;
    const name = e.args?.name ?? '';
    if (name === 'CrRendererMain') mains.push({ pid: e.pid, tid: e.tid });
    if (name.startsWith('DedicatedWorker')) workerPids.add(e.pid);
  }
  const withWorker = mains.filter((m) => workerPids.has(m.pid));
  if (withWorker.length === 1) return withWorker[0];
  const candidates = withWorker.length > 0 ? withWorker : mains;
  let best: { pid: number; tid: number } | null = null;
  let bestTime = -1;
  for (const m of candidates) {
    let t = 0;
    for (const e of events) if (e.pid === m.pid && e.tid === m.tid && TASK_NAMES.has(e.name)) t += e.dur ?? 0;
    if (t > bestTime) {
      bestTime = t;
      best = m;
    }
  }
  return best;
}

/** The top-level tasks of one thread in time order, with their CPU time and the GC inside them. */
export function tasksOf(events: readonly TraceEvent[], thread: { pid: number; tid: number }): MainTask[] {
  const mine = events
    .filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const tasks: MainTask[] = [];
  let end = -Infinity;
  let current: MainTask | null = null;
  for (const e of mine) {
    if (TASK_NAMES.has(e.name) && e.ts >= end) {
      current = {
        ts: e.ts,
        wallMs: e.dur! / 1000,
        cpuMs: e.tdur !== undefined ? e.tdur / 1000 : NaN,
        gcMs: 0,
        tool: false,
      };
      tasks.push(current);
      end = e.ts + e.dur!;
    } else if (current && e.ts < end) {
      if (GC_NAMES.has(e.name)) current.gcMs += e.dur! / 1000;
      if (isToolEvent(e)) current.tool = true;
    }
  }
  return tasks;
}

/** An event of DevTools' own work in the page (the profiler starting or stopping, a protocol message). */
function isToolEvent(e: TraceEvent): boolean {
  if (e.name.startsWith('CpuProfiler::')) return true;
  const info = e.args?.chrome_mojo_event_info as { mojo_interface_tag?: string } | undefined;
  return info?.mojo_interface_tag?.includes('DevTools') === true;
}

/** Sample times (µs, the trace's clock) and the node each sample hit. */
function sampleTimes(profile: CpuProfile): Float64Array {
  const times = new Float64Array(profile.samples.length);
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    times[i] = t;
  }
  return times;
}

function frameName(f: CpuProfile['nodes'][number]['callFrame']): string {
  const file = f.url ? f.url.slice(f.url.lastIndexOf('/') + 1).replace(/\?.*$/, '') : '';
  const fn = f.functionName || '(anonymous)';
  return file ? `${fn} ${file}:${f.lineNumber + 1}` : fn;
}

/** Self samples per function, highest first, for samples in [from, to) µs (all when from/to are omitted). */
export function selfTime(
  profile: CpuProfile,
  from = -Infinity,
  to = Infinity,
  under?: (ancestors: readonly string[]) => boolean,
): { name: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const times = sampleTimes(profile);
  const counts = new Map<string, number>();
  const intervalUs = profile.samples.length > 0 ? (profile.endTime - profile.startTime) / profile.samples.length : 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (times[i] < from || times[i] >= to) continue;
    const node = byId.get(profile.samples[i]);
    if (!node || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    if (under) {
      const chain: string[] = [];
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id))
        chain.push(byId.get(id)!.callFrame.functionName);
      if (!under(chain)) continue;
    }
    const name = frameName(node.callFrame);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => ({ name, ms: (n * intervalUs) / 1000 })).sort((a, b) => b.ms - a.ms);
}

/** The lines the profiling tool prints. */
export function summariseTrace(
  events: readonly TraceEvent[],
  profile: CpuProfile,
  opts: { thresholdMs: number; longest?: number; handler?: string },
): string[] {
  const lines: string[] = [];
  const thread = mainThread(events);
  if (!thread) return ['no renderer main thread in the trace'];
  const all = tasksOf(events, thread);
  const tasks = all.filter((t) => !t.tool);
  const longest = [...tasks].sort((a, b) => b.wallMs - a.wallMs);
  const over = (ms: number) => tasks.filter((t) => t.wallMs > ms).length;
  const busy = tasks.reduce((s, t) => s + t.wallMs, 0);
  const cpu = tasks.reduce((s, t) => s + (Number.isNaN(t.cpuMs) ? 0 : t.cpuMs), 0);
  const byCpu = [...tasks].sort((a, b) => b.cpuMs - a.cpuMs);
  const cpuOver = (ms: number) => tasks.filter((t) => t.cpuMs > ms).length;
  lines.push(
    `main thread: ${tasks.length} tasks (${all.length - tasks.length} of DevTools left out), ${busy.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU`,
    `  wall time: longest ${longest[0]?.wallMs.toFixed(1) ?? '-'} ms; over 16 ms: ${over(16)}, over 50 ms: ${over(50)}`,
    `  CPU time:  longest ${byCpu[0]?.cpuMs.toFixed(1) ?? '-'} ms; over 16 ms: ${cpuOver(16)}, over 50 ms: ${cpuOver(50)}`,
  );
  // The longest by wall time, then any of the longest by CPU time not already listed.
  const listed = longest.filter((t) => t.wallMs >= opts.thresholdMs).slice(0, opts.longest ?? 6);
  for (const t of byCpu.slice(0, 3)) if (!listed.includes(t)) listed.push(t);
  if (listed.length === 0) lines.push(`no task of ${opts.thresholdMs} ms or more`);
  for (const t of listed) {
    const preempted = !Number.isNaN(t.cpuMs) && t.cpuMs < t.wallMs / 2;
    lines.push(
      `  task at ${((t.ts - (tasks[0]?.ts ?? 0)) / 1e6).toFixed(2)} s: ${t.wallMs.toFixed(1)} ms wall, ${Number.isNaN(t.cpuMs) ? '?' : t.cpuMs.toFixed(1)} ms CPU, GC ${t.gcMs.toFixed(1)} ms` +
        (preempted ? '  (mostly waiting for a core: preempted)' : ''),
    );
    for (const f of selfTime(profile, t.ts, t.ts + t.wallMs * 1000).slice(0, 5))
      lines.push(`      ${f.ms.toFixed(1).padStart(6)} ms  ${f.name}`);
  }
  const handler = opts.handler ?? 'applyBatch';
  const under = selfTime(profile, -Infinity, Infinity, (chain) => chain.includes(handler));
  const total = under.reduce((s, f) => s + f.ms, 0);
  lines.push(`self time under ${handler} over the whole stream: ${total.toFixed(1)} ms`);
  for (const f of under.slice(0, 8)) lines.push(`  ${f.ms.toFixed(1).padStart(7)} ms  ${f.name}`);
  return lines;
}
