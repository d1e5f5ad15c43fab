import { describe, expect, it } from 'vitest';
import { isTextEntry, shortcutFor } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('undo/redo keys', () => {
  it('Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, Cmd too', () => {
    expect(shortcutFor(key('z', { ctrl: true }), false)).toBe('undo');
    expect(shortcutFor(key('Z', { ctrl: true, shift: true }), false)).toBe('redo');
    expect(shortcutFor(key('y', { ctrl: true }), false)).toBe('redo');
    expect(shortcutFor(key('z', { meta: true }), false)).toBe('undo');
  });

  it('leaves the keys to a text field while typing', () => {
    expect(shortcutFor(key('z', { ctrl: true }), true)).toBeNull();
  });

  it('ignores plain keys and other combinations', () => {
    expect(shortcutFor(key('z'), false)).toBeNull();
    expect(shortcutFor(key('z', { ctrl: true, alt: true }), false)).toBeNull();
    expect(shortcutFor(key('s', { ctrl: true }), false)).toBeNull();
  });

  it('text inputs and text areas are text entry; buttons, checkboxes and selects are not', () => {
    expect(isTextEntry({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextEntry({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextEntry({ tagName: 'SELECT' })).toBe(false);
    expect(isTextEntry({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTextEntry(null)).toBe(false);
  });
});
