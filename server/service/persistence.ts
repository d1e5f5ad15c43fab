/**
 * The service's state on disk, one file per twin: the alarm list, the tail of the audit log and the
 * sequence numbers. Written atomically (a temporary file renamed over the old one), so a crash mid-write
 * leaves the previous state, never half a file. A "running" marker beside it exists while the service
 * runs and is removed by a clean stop: finding it at start means the last run was killed, and up to its
 * last second of changes may be missing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlarmSnapshot } from '../../src/engine/protocol';
import type { AuditRecord } from '../../src/engine/namespace';

export const STATE_VERSION = 1;
/** Audit records kept in the state file (the broker's subscribers keep the long log). */
export const AUDIT_TAIL = 1000;

export interface ServiceState {
  v: typeof STATE_VERSION;
  twin: string;
  /** When this state was written (ms since the epoch). */
  savedAt: number;
  /** The last sequence number given to an audit record. */
  seq: number;
  /** The last sequence number the broker acknowledged on the audit topic. */
  publishedSeq: number;
  alarms: AlarmSnapshot[];
  /** The newest audit records, oldest first, at most AUDIT_TAIL. */
  audit: AuditRecord[];
}

export function emptyState(twin: string): ServiceState {
  return { v: STATE_VERSION, twin, savedAt: 0, seq: 0, publishedSeq: 0, alarms: [], audit: [] };
}

export function encodeState(state: ServiceState): string {
  return JSON.stringify(state);
}

/** Reads a state file's text; a string says why it cannot be used. */
export function decodeState(text: string, twin: string): ServiceState | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof doc !== 'object' || doc === null) return 'not a JSON object';
  const s = doc as Record<string, unknown>;
  if (s.v !== STATE_VERSION) return `format version ${String(s.v)} is not ${STATE_VERSION}`;
  if (s.twin !== twin) return `it belongs to twin "${String(s.twin)}", not "${twin}"`;
  for (const key of ['savedAt', 'seq', 'publishedSeq'] as const) {
    if (typeof s[key] !== 'number' || !Number.isSafeInteger(s[key]) || (s[key] as number) < 0)
      return `${key} is not a whole number`;
  }
  if (!Array.isArray(s.alarms) || !s.alarms.every(isAlarm)) return 'alarms is not a list of alarms';
  if (!Array.isArray(s.audit) || !s.audit.every(isAudit)) return 'audit is not a list of audit records';
  return doc as ServiceState;
}

function isAlarm(a: unknown): boolean {
  const r = a as Record<string, unknown> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.state === 'string' &&
    typeof r.raisedAt === 'number'
  );
}

function isAudit(a: unknown): boolean {
  const r = a as Record<string, unknown> | null;
  return (
    typeof r === 'object' && r !== null && typeof r.seq === 'number' && (r.kind === 'alarm' || r.kind === 'command')
  );
}

/** Appends records to the tail, keeping the newest AUDIT_TAIL. */
export function appendAudit(tail: AuditRecord[], records: readonly AuditRecord[]): AuditRecord[] {
  const out = tail.concat(records);
  return out.length > AUDIT_TAIL ? out.slice(out.length - AUDIT_TAIL) : out;
}

/** Sequence numbers skipped after an unclean stop, so a number the lost second may have used is never used again. */
export const SEQ_GAP_AFTER_CRASH = 10_000;

/** A file name for a twin id that is safe on every file system. */
export function stateFileName(twin: string): string {
  return encodeURIComponent(twin).replace(/\./g, '%2E');
}

export interface LoadedState {
  state: ServiceState;
  /** The previous run did not stop cleanly (its marker was still there). */
  unclean: boolean;
  /** The file was there but could not be read (it is kept aside as <file>.bad). */
  problem?: string;
}

/** The pid in a running marker when that process is alive and is not this one, else null. */
function livingHolder(marker: string): number | null {
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(marker, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return null;
  }
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return pid;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as { code?: unknown }).code === 'EPERM' ? pid : null;
  }
}

/** The state file and running marker of one twin in `dir`. */
export class StateStore {
  readonly file: string;
  readonly marker: string;

  constructor(
    readonly dir: string,
    readonly twin: string,
  ) {
    const base = join(dir, stateFileName(twin));
    this.file = `${base}.state.json`;
    this.marker = `${base}.running`;
  }

  /** Loads the last state and sets the running marker (the previous one says whether that run ended cleanly). */
  open(now: number): LoadedState {
    mkdirSync(this.dir, { recursive: true });
    const unclean = existsSync(this.marker);
    const holder = unclean ? livingHolder(this.marker) : null;
    if (holder !== null)
      throw new Error(
        `another service (pid ${holder}) is serving twin "${this.twin}" from ${this.dir}; ` +
          `stop it, or remove ${this.marker} if that process is not a Twinview service`,
      );
    let state = emptyState(this.twin);
    let problem: string | undefined;
    if (existsSync(this.file)) {
      const decoded = decodeState(readFileSync(this.file, 'utf8'), this.twin);
      if (typeof decoded === 'string') {
        problem = decoded;
        renameSync(this.file, `${this.file}.bad`);
      } else state = decoded;
    }
    writeFileSync(this.marker, JSON.stringify({ pid: process.pid, startedAt: now }) + '\n');
    return problem === undefined ? { state, unclean } : { state, unclean, problem };
  }

  save(state: ServiceState): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, encodeState(state));
    renameSync(tmp, this.file);
  }

  /** A clean stop: the last save was complete. */
  close(): void {
    rmSync(this.marker, { force: true });
  }
}
