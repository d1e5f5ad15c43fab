import { describe, expect, it } from 'vitest';
import { commandStateText } from './commandText';
import { testT } from '../i18n/testing';

const en = testT('en');

describe('commandStateText', () => {
  it("says each state, with the device's reason and the broker's reason code", () => {
    expect(commandStateText({ state: 'pending' }, en)).toBe('Pending: sent, waiting for the answer');
    expect(commandStateText({ state: 'confirmed' }, en)).toBe('Confirmed');
    expect(commandStateText({ state: 'rejected', reason: 'pump1 is tripped' }, en)).toBe(
      'Rejected by the device: pump1 is tripped',
    );
    expect(
      commandStateText({ state: 'refused', reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 }, en),
    ).toBe('Refused: the broker refused it (Not authorized) [reason code 0x87]');
    expect(commandStateText({ state: 'timed-out', reason: 'no reply within 2s' }, en)).toBe(
      'Timed out: no reply within 2s',
    );
  });
  it("says each state in German, keeping the device's reason as it came", () => {
    const de = testT('de');
    expect(commandStateText({ state: 'pending' }, de)).toBe('Ausstehend: gesendet, warte auf Antwort');
    expect(commandStateText({ state: 'rejected' }, de)).toBe('Vom Gerät abgelehnt: kein Grund angegeben');
    expect(commandStateText({ state: 'refused', reason: 'Not authorized', reasonCode: 0x87 }, de)).toBe(
      'Verweigert: Not authorized [Reason-Code 0x87]',
    );
  });
});
