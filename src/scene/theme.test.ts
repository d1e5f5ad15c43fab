import { describe, expect, it } from 'vitest';
import { initialTheme } from './theme';

describe('initialTheme', () => {
  it('defaults to the ISA-101 grey theme', () => expect(initialTheme('', null)).toBe('isa101'));
  it('remembers the last choice', () => expect(initialTheme('?twin=x', 'dark')).toBe('dark'));
  it('lets the URL override the remembered choice', () => {
    expect(initialTheme('?theme=dark', 'isa101')).toBe('dark');
    expect(initialTheme('?theme=light', 'dark')).toBe('isa101');
  });
  it('ignores unknown names', () => expect(initialTheme('?theme=<b>', 'neon')).toBe('isa101'));
});
