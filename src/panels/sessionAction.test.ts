import { describe, expect, it, vi } from 'vitest';
import type { Session } from '../app/session';
import { actOnSession, NO_SESSION } from './sessionAction';

const session = (running: boolean): Session => ({
  acknowledge: vi.fn(),
  alarmAction: vi.fn(),
  command: vi.fn(),
  stop: vi.fn(),
  running,
});

describe('actOnSession', () => {
  it('sends the action to a running session and has nothing to say', () => {
    const s = session(true);
    expect(actOnSession(s, (x) => x.acknowledge('a1'))).toBeNull();
    expect(s.acknowledge).toHaveBeenCalledWith('a1');
  });

  it('says so, and sends nothing, when the session has stopped', () => {
    const s = session(false);
    expect(actOnSession(s, (x) => x.acknowledge('a1'))).toBe(NO_SESSION);
    expect(s.acknowledge).not.toHaveBeenCalled();
  });

  it('says so when there is no session at all (twin unloaded)', () => {
    const act = vi.fn();
    expect(actOnSession(null, act)).toBe(NO_SESSION);
    expect(act).not.toHaveBeenCalled();
  });
});
