/**
 * The draft kept in the browser (issue 15: "a reload loses nothing"): the document and its files in
 * IndexedDB, one record per twin folder ("new" for a twin not saved yet), written shortly after each
 * change and removed when the twin is saved or the draft discarded. Blobs go into IndexedDB as they
 * are (no base64), so a dropped 50 MB model survives a reload too.
 */
import type { TwinDoc } from './draft';

export interface StoredDraft {
  folder: string | null;
  doc: TwinDoc;
  files: Record<string, Blob>;
  /** When it was written (ms since the epoch), for the "Restored your unsaved draft (time)" notice. */
  savedAt: number;
}

export interface DraftStore {
  get(key: string): Promise<StoredDraft | undefined>;
  put(key: string, draft: StoredDraft): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The record a folder's draft is kept under; a new twin's is "new" (and a folder is never named so by accident). */
export function draftKey(folder: string | null): string {
  return folder === null ? 'new' : `twin:${folder}`;
}

/** After the last change, how long to wait before writing (typing writes once, not per key). */
export const SAVE_DELAY_MS = 400;

export interface Autosave {
  /** Writes the pending change now (the page is being hidden or closed). */
  flush(): Promise<void>;
  stop(): void;
  /**
   * Drops a pending change and waits for a write under way: after it, nothing more is written for
   * what was there (the twin was saved, its kept draft can go).
   */
  settle(): Promise<void>;
}

/**
 * Writes the draft `delay` ms after its last change. `read` gives the current draft (the store
 * subscription in EditorPage); `onSaved` hears each completed write, `onError` each failed one.
 */
export function autosave(
  store: DraftStore,
  read: () => StoredDraft,
  hooks: { onSaved?(at: number): void; onError?(err: unknown): void } = {},
  delay = SAVE_DELAY_MS,
): Autosave & { changed(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return writing;
    pending = false;
    const draft = read();
    // One write at a time, in order: a later state never lands before an earlier one.
    writing = writing.then(async () => {
      try {
        await store.put(draftKey(draft.folder), draft);
        hooks.onSaved?.(draft.savedAt);
      } catch (err) {
        hooks.onError?.(err);
      }
    });
    return writing;
  };
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    pending = false;
  };
  return {
    changed() {
      pending = true;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void write(), delay);
    },
    flush: write,
    stop,
    settle() {
      stop();
      return writing;
    },
  };
}

/** An in-memory store (tests, and a browser without IndexedDB: private windows of some browsers). */
export function memoryStore(): DraftStore {
  const records = new Map<string, StoredDraft>();
  return {
    get: (key) => Promise.resolve(records.get(key)),
    put: (key, draft) => {
      records.set(key, draft);
      return Promise.resolve();
    },
    delete: (key) => {
      records.delete(key);
      return Promise.resolve();
    },
  };
}

const DB_NAME = 'twinview-editor';
const STORE = 'drafts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** The browser's IndexedDB store of drafts (a failed open rejects each call: the page then just keeps no draft). */
export function indexedDbStore(): DraftStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    });
    return db;
  };
  const tx = async (mode: IDBTransactionMode) => (await open()).transaction(STORE, mode).objectStore(STORE);
  return {
    get: async (key) => (await request((await tx('readonly')).get(key))) as StoredDraft | undefined,
    put: async (key, draft) => void (await request((await tx('readwrite')).put(draft, key))),
    delete: async (key) => void (await request((await tx('readwrite')).delete(key))),
  };
}
