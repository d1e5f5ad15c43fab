import { describe, expect, it } from 'vitest';
import { cpuBetween, descendantsOf, parseStat, threadsBelow, type ThreadCpu } from './_procCpu';

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
