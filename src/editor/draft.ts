/**
 * The editor's document (issue 15): the twin.json being edited, as plain JSON that may be invalid, the
 * files added to its folder, the validator's problems, and an undo history. Actions are module
 * functions so pure logic and tests can call them outside React; components subscribe to slices.
 */
import { create } from 'zustand';
import { validateTwin, type TwinProblem } from '../twin/validate';

/** The twin.json being edited, as plain JSON (may be invalid). */
export type TwinDoc = Record<string, unknown>;

export interface DraftState {
  /** The twin's folder when editing an existing twin; null for a new one. */
  folder: string | null;
  doc: TwinDoc;
  /** Model and other files of the twin folder added in the editor, by their path in the folder ("pump.glb"). */
  files: Record<string, Blob>;
  /** validateTwin(doc) problems, recomputed after each edit. */
  problems: TwinProblem[];
  canUndo: boolean;
  canRedo: boolean;
  /** A request to show and focus the form field of a JSON path ("$.signals[2].topic"); seq re-triggers. */
  focus: { path: string; seq: number } | null;
  /** Label of the step undo would revert (for the button's title), null when none. */
  undoLabel: string | null;
  /** Label of the step redo would re-apply, null when none. */
  redoLabel: string | null;
  /** Bumped on every change of doc or files (edit, undo, redo, load): the draft store saves on it. */
  revision: number;
}

/** Steps kept for undo; older ones are dropped (a long session must not grow without bound). */
export const HISTORY_LIMIT = 200;

interface Snapshot {
  label: string;
  doc: TwinDoc;
  files: Record<string, Blob>;
}

// The history lives outside the store: components never render from it, only from canUndo/canRedo.
let past: Snapshot[] = [];
let future: Snapshot[] = [];
// The coalescing key of the newest undo step (typing in one field is one step), null when it had none.
let lastKey: string | null = null;

export function problemsOf(doc: TwinDoc): TwinProblem[] {
  const result = validateTwin(doc);
  return result.ok ? [] : result.problems;
}

const empty: TwinDoc = {};

export const useDraft = create<DraftState>(() => ({
  folder: null,
  doc: empty,
  files: {},
  problems: problemsOf(empty),
  canUndo: false,
  canRedo: false,
  focus: null,
  undoLabel: null,
  redoLabel: null,
  revision: 0,
}));

function historyFlags() {
  return {
    canUndo: past.length > 0,
    canRedo: future.length > 0,
    undoLabel: past.length ? past[past.length - 1].label : null,
    redoLabel: future.length ? future[future.length - 1].label : null,
  };
}

/**
 * Applies a new doc/files pair after `label`, pushing the current one on the undo stack, unless the
 * newest step has the same coalescing key (then it just takes the new state: one step for a burst).
 */
function commit(label: string, doc: TwinDoc, files: Record<string, Blob>, key: string | null = null): void {
  const state = useDraft.getState();
  if (key === null || key !== lastKey || past.length === 0) {
    past.push({ label, doc: state.doc, files: state.files });
    if (past.length > HISTORY_LIMIT) past = past.slice(past.length - HISTORY_LIMIT);
  }
  lastKey = key;
  future = [];
  useDraft.setState({
    doc,
    files,
    problems: problemsOf(doc),
    revision: state.revision + 1,
    ...historyFlags(),
  });
}

/**
 * One undoable edit: the recipe mutates a deep copy of the document (the stored one is never
 * mutated, so snapshots in the history stay as they were). A recipe that throws changes nothing.
 * `coalesce`: consecutive edits with the same key are one undo step (a text field passes its path
 * and focus count, so typing a word is one step and the next visit to the field is another).
 */
export function edit(label: string, recipe: (doc: TwinDoc) => void, coalesce?: string): void {
  const state = useDraft.getState();
  const next = structuredClone(state.doc);
  recipe(next);
  commit(label, next, state.files, coalesce ?? null);
}

export function undo(): void {
  const step = past.pop();
  if (!step) return;
  lastKey = null;
  const state = useDraft.getState();
  future.push({ label: step.label, doc: state.doc, files: state.files });
  useDraft.setState({
    doc: step.doc,
    files: step.files,
    problems: problemsOf(step.doc),
    revision: state.revision + 1,
    ...historyFlags(),
  });
}

export function redo(): void {
  const step = future.pop();
  if (!step) return;
  lastKey = null;
  const state = useDraft.getState();
  past.push({ label: step.label, doc: state.doc, files: state.files });
  useDraft.setState({
    doc: step.doc,
    files: step.files,
    problems: problemsOf(step.doc),
    revision: state.revision + 1,
    ...historyFlags(),
  });
}

/**
 * Adds (or replaces) files of the twin folder, with an optional document change in the same undo
 * step (dropping a GLB adds the file and its asset together: one undo removes both).
 */
export function addFiles(
  files: { path: string; blob: Blob }[],
  label = 'Add files',
  recipe?: (doc: TwinDoc) => void,
): void {
  const state = useDraft.getState();
  const nextFiles = { ...state.files };
  for (const f of files) nextFiles[f.path] = f.blob;
  let nextDoc = state.doc;
  if (recipe) {
    nextDoc = structuredClone(state.doc);
    recipe(nextDoc);
  }
  commit(label, nextDoc, nextFiles);
}

/** Asks the form that owns `path` to open, scroll to and focus its field (see sections.ts owns()). */
export function focusField(path: string): void {
  const seq = (useDraft.getState().focus?.seq ?? 0) + 1;
  useDraft.setState({ focus: { path, seq } });
}

/** Starts editing a document (a loaded twin, a restored draft, a new one): the history starts empty. */
export function loadDraft(folder: string | null, doc: TwinDoc, files: Record<string, Blob> = {}): void {
  past = [];
  future = [];
  lastKey = null;
  useDraft.setState({
    folder,
    doc,
    files,
    problems: problemsOf(doc),
    focus: null,
    revision: useDraft.getState().revision + 1,
    ...historyFlags(),
  });
}

/** The smallest valid twin: the preview runs from the first second of a new twin. */
export function newTwinDoc(brokerUrl: string, id = 'new-twin', title = 'New twin'): TwinDoc {
  return {
    id,
    title,
    connection: { url: brokerUrl, subscribe: ['#'] },
    assets: [],
    signals: [],
    bindings: [],
    rules: [],
    views: [],
  };
}

/** The broker a new twin starts with when the server configures none. */
export const DEFAULT_BROKER_URL = 'ws://127.0.0.1:9001';
