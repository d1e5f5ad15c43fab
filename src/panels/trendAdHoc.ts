/**
 * Ad-hoc trends: any signal trended from the inspector's "Trend" button, kept in the UI store
 * (useApp's `trends`) so they outlive the selection. Opening one already open does not add a copy;
 * at most MAX_AD_HOC are open (the oldest goes), so a long shift does not pile up charts.
 */
import { useApp } from '../store/app';

export const MAX_AD_HOC = 6;

export interface AdHocTrend {
  key: number;
  signal: string;
}

/** The list with `signal` open: unchanged when it already is, else appended (dropping the oldest beyond the cap). */
export function withTrend(list: readonly AdHocTrend[], signal: string, key: number): AdHocTrend[] {
  if (list.some((x) => x.signal === signal)) return [...list];
  const next = [...list, { key, signal }];
  return next.length > MAX_AD_HOC ? next.slice(next.length - MAX_AD_HOC) : next;
}

export function withoutTrend(list: readonly AdHocTrend[], key: number): AdHocTrend[] {
  return list.filter((x) => x.key !== key);
}

let nextKey = 1;

/** Opens (or keeps open) a trend of `signal`; returns its key. */
export function openTrend(signal: string): number {
  const list = withTrend(useApp.getState().trends, signal, nextKey++);
  useApp.setState({ trends: list });
  return list.find((x) => x.signal === signal)!.key;
}

export function closeTrend(key: number): void {
  useApp.setState((s) => ({ trends: withoutTrend(s.trends, key) }));
}
