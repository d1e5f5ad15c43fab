import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autosave, draftKey, memoryStore, type StoredDraft } from './persist';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const draft = (title: string, folder: string | null = null): StoredDraft => ({
  folder,
  doc: { title },
  files: {},
  savedAt: 1000,
});

describe('draft kept in the browser', () => {
  it('a new twin and each folder have their own record', () => {
    expect(draftKey(null)).toBe('new');
    expect(draftKey('new')).toBe('twin:new');
    expect(draftKey('pump-station')).toBe('twin:pump-station');
  });

  it('writes once after a burst of changes, the latest state', async () => {
    const store = memoryStore();
    const put = vi.spyOn(store, 'put');
    let current = draft('a');
    const saver = autosave(store, () => current, {}, 400);
    for (const t of ['P', 'Pu', 'Pump']) {
      current = draft(t);
      saver.changed();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(put).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(put).toHaveBeenCalledTimes(1);
    expect((await store.get('new'))?.doc.title).toBe('Pump');
  });

  it('flush writes a pending change at once, and nothing when none is pending', async () => {
    const store = memoryStore();
    const put = vi.spyOn(store, 'put');
    const saved: number[] = [];
    const saver = autosave(store, () => draft('x', 'plant'), { onSaved: (at) => saved.push(at) });
    await saver.flush();
    expect(put).not.toHaveBeenCalled();
    saver.changed();
    await saver.flush();
    expect(put).toHaveBeenCalledWith('twin:plant', expect.objectContaining({ folder: 'plant' }));
    expect(saved).toEqual([1000]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('stop drops a pending write', async () => {
    const store = memoryStore();
    const saver = autosave(store, () => draft('x'));
    saver.changed();
    saver.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await store.get('new')).toBeUndefined();
  });

  it('a failed write is reported, not thrown', async () => {
    const store = memoryStore();
    store.put = () => Promise.reject(new Error('quota'));
    const errors: unknown[] = [];
    const saver = autosave(store, () => draft('x'), { onError: (e) => errors.push(e) });
    saver.changed();
    await saver.flush();
    expect(String(errors[0])).toMatch(/quota/);
  });
});

describe('after the twin is saved', () => {
  it('settle drops the pending change and waits for the write under way, so a delete after it sticks', async () => {
    vi.useRealTimers();
    const store = memoryStore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const put = store.put;
    store.put = async (key, draft) => {
      await gate;
      await put(key, draft);
    };
    const saver = autosave(store, () => draft('x', 'plant'), {}, 5);
    saver.changed();
    void saver.flush();
    // A change still waiting for its 5 ms: without settle it would be written after the delete.
    saver.changed();
    const settled = saver.settle();
    release();
    await settled;
    await store.delete('twin:plant');
    await new Promise((r) => setTimeout(r, 30));
    expect(await store.get('twin:plant')).toBeUndefined();
  });
});
