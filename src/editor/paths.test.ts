import { describe, expect, it } from 'vitest';
import { parentPath, under } from './paths';

describe('JSON paths', () => {
  it('under() owns a field and everything below it, not a field that only starts with its name', () => {
    const owns = under('signals');
    expect(owns('$.signals')).toBe(true);
    expect(owns('$.signals[3].topic')).toBe(true);
    expect(owns('$.signalsExtra')).toBe(false);
    expect(owns('$.bindings[0].signal')).toBe(false);
  });

  it('parentPath walks up one step at a time', () => {
    expect(parentPath('$.signals[2].topic')).toBe('$.signals[2]');
    expect(parentPath('$.signals[2]')).toBe('$.signals');
    expect(parentPath('$.signals')).toBe('$');
    expect(parentPath('$')).toBeNull();
    expect(parentPath('$.a["b.c"]')).toBe('$.a');
  });
});
