import { describe, expect, it } from 'vitest';
import { soundAllowed } from './alarmSound';

describe('soundAllowed', () => {
  it('allows the alarm sound except in embed mode', () => {
    expect(soundAllowed('')).toBe(true);
    expect(soundAllowed('?twin=pump-station&mode=kiosk')).toBe(true);
    expect(soundAllowed('?twin=pump-station&mode=embed')).toBe(false);
  });
});
