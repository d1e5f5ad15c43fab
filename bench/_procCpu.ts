/**
 * CPU time per thread from Linux /proc, for benchmarks on a shared machine: a thread's CPU time does
 * not move with how long it waited for a core, so "CPU per message" compares two pages fairly where
 * wall time on a loaded machine does not. Parsing is pure (unit tested); reading is Linux only and
 * returns nothing elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (sysconf CLK_TCK: 100 on Linux). */
const TICKS_PER_S = 100;

export interface ProcStat {
  comm: string;
  ppid: number;
  /** User plus system CPU time, ms. */
  cpuMs: number;
}

/**
 * One /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line. The name sits in parentheses and may
 * itself hold spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // After ") ": state(3) ppid(4) ... utime(14) stime(15), 1-based as in proc(5).
  const rest = line.slice(close + 2).split(' ');
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { comm: line.slice(open + 1, close), ppid, cpuMs: ((utime + stime) * 1000) / TICKS_PER_S };
}

/** Every process below `root` (children, grandchildren, ...), given each pid's parent. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const out: number[] = [];
  const seen = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (seen.has(ppid) && !seen.has(pid)) {
        seen.add(pid);
        out.push(pid);
        grew = true;
      }
  }
  return out;
}

export interface ThreadCpu {
  pid: number;
  tid: number;
  /** The thread's name as the kernel keeps it (15 characters): "DedicatedWorker", "chromium", ... */
  comm: string;
  cpuMs: number;
}

function readStat(path: string): ProcStat | null {
  try {
    return parseStat(readFileSync(path, 'utf8'));
  } catch {
    return null; // gone meanwhile
  }
}

/** Every thread of every process below `root` (default: this process), with its CPU time so far. */
export function threadsBelow(root: number = process.pid): ThreadCpu[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const s = readStat(`/proc/${e}/stat`);
    if (s) parents.set(Number(e), s.ppid);
  }
  const out: ThreadCpu[] = [];
  for (const pid of descendantsOf(root, parents)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const s = readStat(`/proc/${pid}/task/${t}/stat`);
      if (s) out.push({ pid, tid: Number(t), comm: s.comm, cpuMs: s.cpuMs });
    }
  }
  return out;
}

/**
 * The page's renderer process: the one running a dedicated worker (Twinview's engine, the bench pages'
 * own). With one page open at a time that is the page's; a renderer of a closed page that has not
 * exited yet has a lower pid, so the newest is taken.
 */
export function pageRenderer(threads: readonly ThreadCpu[]): number | undefined {
  let pid: number | undefined;
  for (const t of threads) if (t.comm === 'DedicatedWorker' && (pid === undefined || t.pid > pid)) pid = t.pid;
  return pid;
}

/** CPU time of one process (all its threads), ms; null when it is gone. */
export function processCpuMs(pid: number): number | null {
  return readStat(`/proc/${pid}/stat`)?.cpuMs ?? null;
}

/**
 * CPU spent between two readings by the threads `pick` selects, ms. A thread that started after
 * `before` counts from zero; one that ended before `after` is not seen (read `after` before closing).
 */
export function cpuBetween(
  before: readonly ThreadCpu[],
  after: readonly ThreadCpu[],
  pick: (t: ThreadCpu, all: readonly ThreadCpu[]) => boolean,
): number {
  const start = new Map(before.map((t) => [t.tid, t.cpuMs]));
  let ms = 0;
  for (const t of after) if (pick(t, after)) ms += t.cpuMs - (start.get(t.tid) ?? 0);
  return ms;
}

/**
 * Whether `pid` is a Chrome GPU process (its command line says so): where SwiftShader's threads draw
 * WebGL without a GPU. `known` caches the answer per pid.
 */
export function isGpuProcess(pid: number, known: Map<number, boolean>): boolean {
  let gpu = known.get(pid);
  if (gpu === undefined) {
    try {
      gpu = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=gpu-process');
    } catch {
      gpu = false; // gone meanwhile, or not Linux
    }
    known.set(pid, gpu);
  }
  return gpu;
}

/** The whole machine's CPU time so far, from /proc/stat's first line, in ticks. */
export interface MachineCpu {
  busy: number;
  idle: number;
  /** Time a hypervisor gave this VM's CPUs to someone else while they had work. */
  steal: number;
}

/** "cpu  user nice system idle iowait irq softirq steal guest guest_nice" -> ticks; null when not that line. */
export function parseMachineCpu(line: string): MachineCpu | null {
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = fields.slice(1).map(Number);
  const all = [user, nice, system, idle, iowait, irq, softirq, steal];
  if (all.some((n) => !Number.isFinite(n))) return null;
  // guest time is already inside user; idle counts iowait (a CPU with nothing to run).
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

export function readMachineCpu(): MachineCpu | null {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8').split('\n')[0]);
  } catch {
    return null; // not Linux
  }
}

/** Between two readings: the share of all CPUs' time that was busy, and that was stolen by the host. */
export function machineLoad(
  before: MachineCpu | null,
  after: MachineCpu | null,
): { busy: number; steal: number } | null {
  if (!before || !after) return null;
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  const steal = after.steal - before.steal;
  const total = busy + idle + steal;
  return total > 0 ? { busy: busy / total, steal: steal / total } : null;
}
