/**
 * A trend's window as CSV (RFC 4180): the exact points the chart shows (source "chart": the
 * historian's buckets and the tab's downsampled samples) and then every raw sample the tab holds for
 * the window (source "tab"). One column per signal, headed with its id and unit; times in ISO 8601
 * UTC; values as plain numbers (a gap is an empty cell). Rows of one source at the same time share a line.
 */
import type { ChartPoint } from './trendData';

export interface CsvSeries {
  signal: string;
  unit: string;
  /** What the chart draws. */
  shown: readonly ChartPoint[];
  /** The tab's own samples within the window. */
  raw: readonly ChartPoint[];
}

/**
 * A cell that starts with = + - @ (and is not a number) gets a leading ' so a spreadsheet does not
 * run it as a formula: signal ids and units come from a twin file, which may be hostile.
 */
function cell(text: string): string {
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function header(s: CsvSeries): string {
  return s.unit ? `${s.signal} (${s.unit})` : s.signal;
}

function rows(series: readonly CsvSeries[], pick: (s: CsvSeries) => readonly ChartPoint[], source: string): string[] {
  const byTime = new Map<number, (number | null | undefined)[]>();
  series.forEach((s, k) => {
    for (const p of pick(s)) {
      let row = byTime.get(p.t);
      if (!row) byTime.set(p.t, (row = new Array<number | null | undefined>(series.length)));
      row[k] = p.v;
    }
  });
  return [...byTime.keys()]
    .sort((a, b) => a - b)
    .map((t) => {
      const values = byTime.get(t)!;
      const cells = [new Date(t).toISOString(), source];
      for (let k = 0; k < series.length; k++) {
        const v = values[k];
        cells.push(v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
      }
      return cells.join(',');
    });
}

export function trendCsv(series: readonly CsvSeries[]): string {
  const lines = [['time', 'source', ...series.map(header)].map(cell).join(',')];
  lines.push(...rows(series, (s) => s.shown, 'chart'), ...rows(series, (s) => s.raw, 'tab'));
  return lines.join('\r\n') + '\r\n';
}

/** "20261130T142000Z": an ISO time without the characters file systems dislike. */
function compact(t: number): string {
  return new Date(t)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
}

/** "trend-pump-station-20261130T140500Z-20261130T142000Z.csv": twin and range, safe as a file name. */
export function trendCsvFilename(twinId: string, from: number, to: number): string {
  const twin = twinId.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_') || 'twin';
  return `trend-${twin}-${compact(from)}-${compact(to)}.csv`;
}
