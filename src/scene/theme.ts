/**
 * Display themes. "isa101" (default): grey equipment on a light grey ground, colour reserved for
 * abnormal states. "dark": the same rules on a dark ground for dim control rooms. Chosen by `?theme=`,
 * else the operator's last choice (localStorage), else the default.
 */
import { create } from 'zustand';

export const THEMES = ['isa101', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'twinview.theme';

/** Scene colours per theme (the page colours are CSS variables in theme.css). */
export const SCENE_COLORS: Record<Theme, { background: string; sky: string; ground: string }> = {
  isa101: { background: '#d4d7db', sky: '#ffffff', ground: '#8a8f96' },
  dark: { background: '#1b1f24', sky: '#c8d0da', ground: '#3a4048' },
};

function isTheme(v: string | null | undefined): v is Theme {
  return v !== null && v !== undefined && (THEMES as readonly string[]).includes(v);
}

/** The theme to start with: the URL wins (`dark`, `isa101`, and `light` as another name for isa101). */
export function initialTheme(search: string, stored: string | null): Theme {
  const asked = new URLSearchParams(search).get('theme');
  const fromUrl = asked === 'light' ? 'isa101' : asked;
  if (isTheme(fromUrl)) return fromUrl;
  return isTheme(stored) ? stored : 'isa101';
}

function readStored(): string | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage may be blocked in an embedding iframe
  }
}

export const useTheme = create<{ theme: Theme }>(() => ({
  theme: initialTheme(typeof location === 'undefined' ? '' : location.search, readStored()),
}));

/** Switches theme and remembers the choice for the next visit. */
export function setTheme(theme: Theme): void {
  useTheme.setState({ theme });
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // not remembered; still applied
  }
}

/** Puts the theme on <html data-theme>, where theme.css picks it up. */
export function applyThemeToDocument(theme: Theme): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme;
}
