/**
 * Recordings in the browser: opening one (a picked file, or `?recording=<same-origin .jsonl URL>`)
 * so the page replays it with no broker, and exporting the span the timeline shows (the historian's
 * export when one answers, else the tab's own history as decoded-value lines).
 */
import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useTimeCursor } from '../store/timeCursor';
import { parseRecordingFile, historyToRecording, recordingFileName, type HistorySource } from './recordingFile';
import { fetchExport, type FetchLike } from './timelineHistory';
import { useReplay } from './replay';

/** Why a recording was not opened, in words for the page (already translated by the caller's keys). */
export type OpenProblem =
  { kind: 'bad-line'; line: number; reason: string } | { kind: 'empty' } | { kind: 'fetch'; reason: string };

export type OpenResult = { ok: true } | ({ ok: false; name: string } & OpenProblem);

/**
 * Shows a recording in the page: nothing changes unless the whole file reads (a bad line is named),
 * then the telemetry store holds the file's values, the alarms are what the twin's rules raise over
 * it, the timeline spans it and playback starts at its beginning.
 */
export async function openRecordingText(twin: Twin, name: string, text: string): Promise<OpenResult> {
  const file = parseRecordingFile(text);
  if (!file.ok)
    return file.line === 0
      ? { ok: false, name, kind: 'empty' }
      : { ok: false, name, kind: 'bad-line', line: file.line, reason: file.error };
  // The Engine is only needed here: loaded with the first recording, not with the page.
  const [{ loadRecording }, sparkplug] = await Promise.all([
    import('./recordingLoad'),
    import('../engine/sparkplugIngest'),
  ]);
  // A Sparkplug twin's engine needs its decoder before it can read the file's messages.
  if (sparkplug.needsSparkplug(twin)) await sparkplug.loadSparkplug();
  const loaded = loadRecording(twin, file);
  const cursor = useTimeCursor.getState();
  cursor.goLive(); // leaves any replay of the live data before the store changes hands
  telemetry.openRecording(loaded.signals, {
    type: 'batch',
    samples: loaded.samples,
    count: loaded.count,
    texts: loaded.texts,
    kinds: loaded.kinds,
  });
  // A recording of one instant still needs a span to draw.
  const to = Math.max(loaded.to, loaded.from + 1000);
  useReplay.setState({ recording: { name, from: loaded.from, to, transitions: loaded.transitions } });
  cursor.setRange(loaded.from, to);
  useTimeCursor.getState().seek(loaded.from);
  useTimeCursor.getState().play();
  return { ok: true };
}

/** `?recording=` value as a same-origin URL, or null when it names another origin (refused: it would be a way to show a fake plant). */
export function sameOriginRecordingUrl(value: string, pageHref: string): URL | null {
  let url: URL;
  try {
    url = new URL(value, pageHref);
  } catch {
    return null;
  }
  return url.origin === new URL(pageHref).origin ? url : null;
}

/** Loads `?recording=<url>` and opens it. */
export async function openRecordingUrl(
  twin: Twin,
  value: string,
  fetchImpl: FetchLike = (u, i) => fetch(u, i),
): Promise<OpenResult> {
  const url = sameOriginRecordingUrl(value, location.href);
  const name = decodeURIComponent(value.split('/').pop() || value);
  if (!url) return { ok: false, name, kind: 'fetch', reason: 'only a recording from this site can be opened by link' };
  let text: string;
  try {
    const res = await fetchImpl(url.href);
    if (!res.ok) return { ok: false, name, kind: 'fetch', reason: `HTTP ${res.status}` };
    text = await res.text();
  } catch (err) {
    return { ok: false, name, kind: 'fetch', reason: err instanceof Error ? err.message : String(err) };
  }
  return openRecordingText(twin, name, text);
}

/** Closes a recording: the page starts again on live data (a fresh load, so nothing of the file stays). */
export function closeRecording(): void {
  const url = new URL(location.href);
  url.searchParams.delete('recording');
  location.assign(url.href);
}

/** The tab's history of `[from, to]` as a recording (value lines); empty string when there is none. */
export function tabRecording(from: number, to: number): string {
  const sources: HistorySource[] = [];
  for (let i = 0; i < telemetry.signals.length; i++) {
    const info = telemetry.signals[i];
    const ring = telemetry.history[i];
    if (!info || !ring) continue;
    sources.push({
      id: info.id,
      length: ring.length,
      timeAt: (k) => ring.timeAt(k),
      valueAt: (k) => ring.valueAt(k),
      indexAtOrAfter: (t) => ring.indexAtOrAfter(t),
    });
  }
  return historyToRecording(sources, from, to);
}

export type ExportResult =
  { ok: true; text: string; fileName: string; source: 'historian' | 'tab' } | { ok: false; reason: 'empty' | string };

/** The recording of `[from, to]`: the historian's, or the tab's own when no historian answers. */
export async function exportRecording(
  twinId: string,
  from: number,
  to: number,
  fetchImpl: FetchLike = (u, i) => fetch(u, i),
): Promise<ExportResult> {
  const fileName = recordingFileName(twinId, from, to);
  if (useReplay.getState().historian !== 'absent' && !telemetry.showingRecording) {
    const res = await fetchExport(fetchImpl, { twin: twinId, from, to });
    if (res.ok && res.value.trim() !== '') return { ok: true, text: res.value, fileName, source: 'historian' };
    if (!res.ok && res.kind === 'error') return { ok: false, reason: res.message };
  }
  const text = tabRecording(from, to);
  return text === '' ? { ok: false, reason: 'empty' } : { ok: true, text, fileName, source: 'tab' };
}

/** Hands a text to the browser as a download. */
export function download(text: string, fileName: string, type = 'application/x-ndjson'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
