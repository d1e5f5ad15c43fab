import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, twinsIn } from './services';

describe('the twins npm start serves', () => {
  it('takes every valid <folder>/twin.json of the folders (the first of a twin id, by folder name), and names the others with why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-twins-'));
    const twin = (folder: string, doc: unknown) => {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, 'twin.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
    };
    const connection = { url: 'ws://127.0.0.1:9001', subscribe: ['a/#'] };
    twin('north', { id: 'north', title: 'North', connection });
    twin('broken', '{ "id": ');
    twin('north-copy', { id: 'north', title: 'North again', connection });
    mkdirSync(join(dir, 'no-twin-here'));
    const { twins, skipped } = await twinsIn([dir, join(dir, 'missing')]);
    expect(twins.map((t) => t.id)).toEqual(['north']);
    expect(skipped).toEqual([
      `${join(dir, 'broken', 'twin.json')} (has problems)`,
      `${join(dir, 'north-copy', 'twin.json')} (twin id "north" twice)`,
    ]);
  });

  it('takes credentials from the environment only when a user name is set', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(credentialsFromEnv({ TWINVIEW_MQTT_USERNAME: 'svc' })).toEqual({ username: 'svc', password: '' });
  });
});
