import { describe, expect, it } from 'vitest';
import { commands, main } from './twin';

describe('npm run twin -- <command> --help', () => {
  it('every command prints its own usage and exits 0', async () => {
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main([command.name, flag], { out: (l) => out.push(l), err: (l) => err.push(l) });
        expect(code, `${command.name} ${flag}`).toBe(0);
        expect(out.join('\n')).toMatch(new RegExp(`^Usage: npm run twin -- ${command.name}\\b`));
        expect(err).toEqual([]);
      }
    }
  });
});
