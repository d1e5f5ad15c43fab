/**
 * The editor's live preview: whenever the draft validates (debounced), it runs as a twin with the
 * normal engine session (src/app/session.ts) and the normal scene (src/scene/TwinScene), so whatever
 * any section adds (a signal, a binding, a rule) shows on live data at once. The engine restarts
 * only when what it uses changes (connection, signals, rules, commands, sources): moving an asset or
 * adding a view keeps the connection and the values. An invalid draft keeps the last valid preview.
 * Model files added in the editor are loaded from blob URLs (src/scene/modelSource.ts) before the
 * server's twin folder.
 */
import { create } from 'zustand';
import type { Twin } from '../twin/schema';
import { validateTwin } from '../twin/validate';
import { startSession, type Session } from '../app/session';
import { useApp } from '../store/app';
import { setModelUrlResolver } from '../scene/modelSource';
import { requestSceneFrame } from '../scene/sceneFrames';
import { useDraft } from './draft';
import { readModelJson, withFileUrls } from './modelFiles';

/** How long the draft must be still before the preview follows it. */
export const PREVIEW_DEBOUNCE_MS = 300;

export interface PreviewState {
  /** The twin the preview shows: the draft's last valid state, null before the first. */
  twin: Twin | null;
  /** Problems of the draft while it is invalid (the preview is paused on the last valid twin); 0 when it runs. */
  paused: number;
}

export const usePreview = create<PreviewState>(() => ({ twin: null, paused: 0 }));

/** The parts of a twin the engine works from: a change here restarts the session, nothing else does. */
export function engineKey(twin: Twin): string {
  return JSON.stringify([twin.id, twin.connection, twin.signals, twin.rules, twin.commands, twin.sources]);
}

/**
 * `next` with each top-level part that has not changed since `prev` taken from `prev` (the same
 * object), so the scene's memos and effects that depend on a part (views, bindings) do not run again
 * for an edit elsewhere. Always a new top-level object, so the scene renders the edit.
 */
export function shareUnchanged(prev: Twin | null, next: Twin): Twin {
  if (!prev) return next;
  const out: Record<string, unknown> = { ...next };
  const before = prev as unknown as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    if (key in before && JSON.stringify(before[key]) === JSON.stringify(out[key])) out[key] = before[key];
  }
  return out as unknown as Twin;
}

/** Blob URLs of the draft's files, made once per file (a new URL only for a new or replaced file). */
class FileUrls {
  private readonly urls = new Map<string, { blob: Blob; url: string }>();
  /** Model URLs by path: a .gltf's own is a rewritten copy naming its files' blob URLs. */
  private models = new Map<string, string>();
  private gltfCopies: string[] = [];

  /** Brings the URLs up to date with `files`; true when anything changed. */
  async sync(files: Record<string, Blob>): Promise<boolean> {
    let changed = false;
    for (const [path, entry] of this.urls) {
      if (files[path] !== entry.blob) {
        URL.revokeObjectURL(entry.url);
        this.urls.delete(path);
        changed = true;
      }
    }
    for (const [path, blob] of Object.entries(files)) {
      if (this.urls.has(path)) continue;
      this.urls.set(path, { blob, url: URL.createObjectURL(blob) });
      changed = true;
    }
    if (!changed) return false;
    for (const url of this.gltfCopies) URL.revokeObjectURL(url);
    this.gltfCopies = [];
    const models = new Map<string, string>();
    for (const [path, { blob, url }] of this.urls) {
      if (/\.glb$/i.test(path)) models.set(path, url);
      if (!/\.gltf$/i.test(path)) continue;
      // A .gltf from a blob URL cannot reach its .bin and textures by relative path: name their blob URLs.
      const read = readModelJson(path, new Uint8Array(await blob.arrayBuffer()));
      if (!read.ok) continue;
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
      const json = withFileUrls(read.json, (p) => this.urls.get(dir + p)?.url ?? null);
      const copy = URL.createObjectURL(new Blob([JSON.stringify(json)], { type: 'model/gltf+json' }));
      this.gltfCopies.push(copy);
      models.set(path, copy);
    }
    this.models = models;
    return true;
  }

  url(model: string): string | null {
    return this.models.get(model) ?? null;
  }

  dispose(): void {
    for (const { url } of this.urls.values()) URL.revokeObjectURL(url);
    for (const url of this.gltfCopies) URL.revokeObjectURL(url);
    this.urls.clear();
    this.models.clear();
    this.gltfCopies = [];
  }
}

/**
 * Starts following the draft (the editor's preview mounts it); returns the stop, which ends the
 * engine session and frees the files' URLs.
 */
export function startPreview(): () => void {
  const files = new FileUrls();
  const resetResolver = setModelUrlResolver((model) => files.url(model));
  let session: Session | null = null;
  let sessionKey = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let run = 0;

  const update = async () => {
    const mine = ++run;
    const { doc, files: draftFiles, folder } = useDraft.getState();
    const filesChanged = await files.sync(draftFiles);
    if (stopped || mine !== run) return;
    const result = validateTwin(doc);
    if (!result.ok) {
      usePreview.setState({ paused: result.problems.length });
      return;
    }
    const prev = usePreview.getState().twin;
    // A replaced model file is a change for the scene even when the document is the same.
    const twin = filesChanged ? { ...shareUnchanged(prev, result.twin) } : shareUnchanged(prev, result.twin);
    const key = engineKey(twin);
    const brokerUrl = twin.connection.url;
    if (key !== sessionKey || !session?.running) {
      sessionKey = key;
      session = startSession(twin, brokerUrl);
    }
    // The scene finds the server's model files under the twin's folder (a new twin has none yet).
    useApp.setState({ load: { state: 'ready', id: folder ?? twin.id, twin, brokerUrl } });
    usePreview.setState({ twin, paused: 0 });
    requestSceneFrame();
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void update();
    }, PREVIEW_DEBOUNCE_MS);
  };
  void update();
  const unsubscribe = useDraft.subscribe((state, prev) => {
    if (state.doc !== prev.doc || state.files !== prev.files || state.folder !== prev.folder) schedule();
  });
  return () => {
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    session?.stop();
    session = null;
    resetResolver();
    files.dispose();
    usePreview.setState({ twin: null, paused: 0 });
    useApp.setState({ load: { state: 'idle' }, selected: null });
  };
}
