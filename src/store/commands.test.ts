import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandStatus } from '../engine/commands';
import { MAX_COMMANDS, abandonPendingCommands, receiveCommandState, resetCommands, useCommands } from './commands';

const status = (requestId: string, state: CommandStatus['state']): CommandStatus => ({
  requestId,
  commandId: 'pump1.start',
  label: 'Start pump1',
  topic: 'plant/pumps/pump1/cmd',
  payload: '{}',
  state,
  sentAt: 1,
  at: 1,
});

describe('command store', () => {
  beforeEach(resetCommands);

  it('keeps the newest state of each request, and only the newest requests', () => {
    receiveCommandState(status('a', 'pending'));
    receiveCommandState(status('a', 'confirmed'));
    expect(useCommands.getState().byId.a.state).toBe('confirmed');
    for (let i = 0; i < MAX_COMMANDS + 5; i++) receiveCommandState(status(`r${i}`, 'pending'));
    const ids = Object.keys(useCommands.getState().byId);
    expect(ids).toHaveLength(MAX_COMMANDS);
    expect(ids.at(-1)).toBe(`r${MAX_COMMANDS + 4}`);
    expect(ids).not.toContain('a');
  });

  it('ends pending requests as timed out with the reason when their engine went away, and leaves finished ones', () => {
    receiveCommandState(status('a', 'pending'));
    receiveCommandState(status('b', 'confirmed'));
    abandonPendingCommands('the engine restarted');
    expect(useCommands.getState().byId.a).toMatchObject({ state: 'timed-out', reason: 'the engine restarted' });
    expect(useCommands.getState().byId.b.state).toBe('confirmed');
  });
});
