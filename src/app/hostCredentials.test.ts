import { describe, expect, it } from 'vitest';
import { allowedHostOrigins, credentialsFromMessage } from './hostCredentials';

describe('allowedHostOrigins', () => {
  it('reads exact origins, one or several', () => {
    const p = new URLSearchParams(
      'hostOrigin=https://portal.example,http://127.0.0.1:8080&hostOrigin=https://b.example',
    );
    expect(allowedHostOrigins(p)).toEqual(['https://portal.example', 'http://127.0.0.1:8080', 'https://b.example']);
  });

  it('ignores what is not an exact http(s) origin', () => {
    const p = new URLSearchParams('hostOrigin=*,https://portal.example/path,javascript:alert(1),portal.example');
    expect(allowedHostOrigins(p)).toEqual([]);
  });
});

describe('credentialsFromMessage', () => {
  const allowed = ['https://portal.example'];
  const ok = { type: 'twinview:credentials', username: 'op', password: 'pw' };

  it('accepts credentials from an allowed origin', () => {
    expect(credentialsFromMessage({ origin: 'https://portal.example', data: ok }, allowed)).toEqual({
      username: 'op',
      password: 'pw',
    });
  });

  it('ignores other origins, even look-alikes', () => {
    expect(credentialsFromMessage({ origin: 'https://evil.example', data: ok }, allowed)).toBeNull();
    expect(credentialsFromMessage({ origin: 'https://portal.example.evil.com', data: ok }, allowed)).toBeNull();
    expect(credentialsFromMessage({ origin: 'null', data: ok }, allowed)).toBeNull();
  });

  it('ignores messages of another shape', () => {
    const from = (data: unknown) => credentialsFromMessage({ origin: 'https://portal.example', data }, allowed);
    expect(from({ ...ok, type: 'other' })).toBeNull();
    expect(from({ ...ok, password: 42 })).toBeNull();
    expect(from('twinview:credentials')).toBeNull();
    expect(from(null)).toBeNull();
  });
});
