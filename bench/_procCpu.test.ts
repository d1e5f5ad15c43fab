import { describe, expect, it } from 'vitest';
import {
  cpuBetween,
  descendantsOf,
  machineLoad,
  pageRenderer,
  parseMachineCpu,
  parseStat,
  threadsBelow,
  type ThreadCpu,
} from './_procCpu';

// proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
const stat = (comm: string, ppid: number, utime: number, stime: number) =>
  `4242 (${comm}) S ${ppid} 1 1 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 123 0 0\n`;

describe('parseStat', () => {
  it('reads the name, the parent and user plus system time in ms (100 ticks a second)', () => {
    expect(parseStat(stat('DedicatedWorker', 17, 250, 30))).toEqual({ comm: 'DedicatedWorker', ppid: 17, cpuMs: 2800 });
  });

  it('counts fields from the last parenthesis, so a name with spaces and parentheses does not shift them', () => {
    expect(parseStat(stat('a) b (c', 9, 1, 2))).toEqual({ comm: 'a) b (c', ppid: 9, cpuMs: 30 });
  });

  it('gives null for a line that is not a stat line', () => {
    expect(parseStat('')).toBeNull();
    expect(parseStat('12 (x) S')).toBeNull();
  });
});

describe('descendantsOf', () => {
  it('finds children and grandchildren, not siblings or the root itself', () => {
    const parents = new Map([
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 99],
      [6, 1],
    ]);
    expect(descendantsOf(1, parents).sort()).toEqual([2, 3, 4, 6]);
  });
});

describe('cpuBetween', () => {
  const t = (tid: number, comm: string, cpuMs: number): ThreadCpu => ({ pid: 1, tid, comm, cpuMs });

  it('sums the growth of the picked threads; a thread that started meanwhile counts from zero', () => {
    const before = [t(10, 'DedicatedWorker', 100), t(11, 'chromium', 50)];
    const after = [t(10, 'DedicatedWorker', 160), t(11, 'chromium', 70), t(12, 'DedicatedWorker', 5)];
    expect(cpuBetween(before, after, (x) => x.comm === 'DedicatedWorker')).toBe(65);
    expect(cpuBetween(before, after, () => true)).toBe(85);
  });
});

describe('threadsBelow', () => {
  it('returns nothing rather than throwing for a process without children', () => {
    expect(threadsBelow(2 ** 22 + 12345)).toEqual([]);
  });
});

describe('machine load from /proc/stat', () => {
  it('reads busy, idle (with iowait) and stolen ticks from the cpu line', () => {
    expect(parseMachineCpu('cpu  48118 1081 21175 1087259 690 0 806 12 0 0')).toEqual({
      busy: 48118 + 1081 + 21175 + 806,
      idle: 1087259 + 690,
      steal: 12,
    });
    expect(parseMachineCpu('cpu0 1 2 3 4 5 6 7 8')).toBeNull();
    expect(parseMachineCpu('intr 1 2 3')).toBeNull();
  });

  it('gives the busy and stolen shares between two readings', () => {
    const load = machineLoad({ busy: 100, idle: 100, steal: 0 }, { busy: 250, idle: 130, steal: 20 });
    expect(load).toEqual({ busy: 150 / 200, steal: 20 / 200 });
    expect(machineLoad(null, { busy: 1, idle: 1, steal: 0 })).toBeNull();
    expect(machineLoad({ busy: 1, idle: 1, steal: 0 }, { busy: 1, idle: 1, steal: 0 })).toBeNull();
  });
});

describe('pageRenderer', () => {
  it("is the newest process running a dedicated worker (a closed page's renderer may linger)", () => {
    const t = (pid: number, tid: number, comm: string): ThreadCpu => ({ pid, tid, comm, cpuMs: 0 });
    expect(pageRenderer([t(10, 10, 'chromium'), t(20, 21, 'DedicatedWorker'), t(30, 31, 'DedicatedWorker')])).toBe(30);
    expect(pageRenderer([t(10, 10, 'chromium'), t(30, 30, 'chromium')])).toBeUndefined();
  });
});
