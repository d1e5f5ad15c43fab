/** Twin documents for the engine tests (not shipped: only *.test.ts import this). */
import { readFileSync } from 'node:fs';
import { twinSchema, type SignalDef, type Twin, type TwinInput } from '../twin/schema';
import { validateTwin } from '../twin/validate';

/** The demo twin, validated as the app would. */
export function demoTwin(): Twin {
  const text = readFileSync(new URL('../../models/pump-station/twin.json', import.meta.url), 'utf8');
  const result = validateTwin(JSON.parse(text));
  if (!result.ok) throw new Error(`demo twin invalid: ${JSON.stringify(result.problems)}`);
  return result.twin;
}

/** A minimal twin with the given signals and rules (schema defaults applied, references not checked). */
export function makeTwin(parts: Pick<TwinInput, 'signals' | 'rules'>): Twin {
  return twinSchema.parse({
    id: 't',
    title: 'Test',
    connection: { url: 'ws://127.0.0.1:9001', subscribe: ['#'] },
    ...parts,
  });
}

/** One signal definition with defaults. */
export function signal(id: string, topic: string, extra: Partial<SignalDef> = {}): SignalDef {
  return { id, topic, decoder: 'json', ...extra };
}
