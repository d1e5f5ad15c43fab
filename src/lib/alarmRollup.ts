/**
 * Alarm roll-up along the asset hierarchy: a node shows the most urgent unacknowledged alarm of
 * everything under it. Paths are "/"-separated ("station/Pump1"), so "station" rolls up "station/Pump1".
 */
import type { AlarmSnapshot } from '../engine/protocol';
import type { Priority } from '../twin/schema';

export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, medium: 2, low: 3 };

export interface Rollup {
  /** Most urgent priority among unacknowledged alarms at or under the node; null when none. */
  unacknowledged: Priority | null;
  /** Most urgent priority among all non-normal alarms at or under the node. */
  any: Priority | null;
  count: number;
}

/**
 * Rolls alarms up to every ancestor of their asset path. `parents` may add levels above an asset id
 * (for example asset "station" in area "north"): `parents.get('station') === 'north'`.
 */
export function rollupAlarms(
  alarms: readonly AlarmSnapshot[],
  parents: ReadonlyMap<string, string> = new Map(),
): Map<string, Rollup> {
  const out = new Map<string, Rollup>();
  const bump = (path: string, a: AlarmSnapshot) => {
    const r = out.get(path) ?? { unacknowledged: null, any: null, count: 0 };
    r.count++;
    if (r.any === null || PRIORITY_RANK[a.priority] < PRIORITY_RANK[r.any]) r.any = a.priority;
    if (
      a.state !== 'acknowledged' &&
      (r.unacknowledged === null || PRIORITY_RANK[a.priority] < PRIORITY_RANK[r.unacknowledged])
    ) {
      r.unacknowledged = a.priority;
    }
    out.set(path, r);
  };
  for (const a of alarms) {
    if (!a.asset) continue;
    const parts = a.asset.split('/');
    for (let n = parts.length; n >= 1; n--) bump(parts.slice(0, n).join('/'), a);
    const seen = new Set<string>();
    for (let p = parents.get(parts[0]); p !== undefined && !seen.has(p); p = parents.get(p)) {
      seen.add(p);
      bump(p, a);
    }
  }
  return out;
}
