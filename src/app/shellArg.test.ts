import { describe, expect, it } from 'vitest';
import { shellArg } from './shellArg';

describe('shellArg', () => {
  it('leaves a plain path as it is', () => {
    expect(shellArg('models/pump-station/twin.json')).toBe('models/pump-station/twin.json');
  });

  it('quotes a path with spaces or shell characters so it stays one argument', () => {
    expect(shellArg('models/north plant/twin.json')).toBe("'models/north plant/twin.json'");
    expect(shellArg('a$(rm -rf x)/twin.json')).toBe("'a$(rm -rf x)/twin.json'");
  });

  it('closes and reopens the quotes around a quote in the path', () => {
    expect(shellArg("bob's plant/twin.json")).toBe("'bob'\\''s plant/twin.json'");
  });
});
