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

  it('lists the importers and the validator’s model flag in the usage', async () => {
    const out: string[] = [];
    await main([], { out: (l) => out.push(l), err: () => {} });
    expect(out.join('\n')).toMatch(/from-wot <thing-description\.json>/);
    expect(out.join('\n')).toMatch(/from-dtdl <interface\.json> --topic/);
    expect(out.join('\n')).toMatch(/validate <file\.\.\.> \[--no-models\]/);
  });
});
