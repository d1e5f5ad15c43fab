import { describe, expect, it } from 'vitest';
import { commandStateText } from './commandText';

describe('commandStateText', () => {
  it("says each state, with the device's reason and the broker's reason code", () => {
    expect(commandStateText({ state: 'pending' })).toBe('Pending: sent, waiting for the answer');
    expect(commandStateText({ state: 'confirmed' })).toBe('Confirmed');
    expect(commandStateText({ state: 'rejected', reason: 'pump1 is tripped' })).toBe(
      'Rejected by the device: pump1 is tripped',
    );
    expect(
      commandStateText({ state: 'refused', reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 }),
    ).toBe('Refused: the broker refused it (Not authorized) [reason code 0x87]');
    expect(commandStateText({ state: 'timed-out', reason: 'no reply within 2s' })).toBe(
      'Timed out: no reply within 2s',
    );
  });
});
