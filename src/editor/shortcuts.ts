/**
 * The editor's undo/redo keys: Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (Cmd on macOS), for the
 * whole document, except while typing in a text field: there the keys keep the field's own undo
 * (the browser's, for the characters just typed). Typing in one field is one document step anyway
 * (draft.ts coalescing), so leaving the field and pressing Ctrl+Z takes the whole change back.
 */
export type Shortcut = 'undo' | 'redo';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutFor(e: KeyLike, typing: boolean): Shortcut | null {
  if (typing || e.altKey || !(e.ctrlKey || e.metaKey)) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return null;
}

const TEXT_INPUTS = new Set(['text', 'url', 'search', 'email', 'password', 'number', 'tel']);

/** Whether an element is one where the keys edit text (its own undo applies). */
export function isTextEntry(el: { tagName: string; type?: string; isContentEditable?: boolean } | null): boolean {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea') return true;
  return tag === 'input' && TEXT_INPUTS.has((el.type ?? 'text').toLowerCase());
}
