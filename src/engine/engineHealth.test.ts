import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engineHeardAt, freezeEngineWorkersForTest, SILENCE_LIMIT_MS, startEngine } from './engineClient';
import type { FromWorker, ToWorker } from './protocol';
import { demoTwin } from './testTwins';

// What the kiosk's page watchdog (src/app/watchdog.ts) reads from the engine client.

class FakeWorker extends EventTarget {
  static last: FakeWorker | null = null;
  readonly sent: ToWorker[] = [];
  constructor() {
    super();
    FakeWorker.last = this;
  }
  postMessage(message: ToWorker) {
    this.sent.push(message);
  }
  terminate() {}
  emit(data: FromWorker) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

const stats: FromWorker = {
  type: 'stats',
  stats: { messages: 0, bytes: 0, rejected: {}, lastRejects: [], lastMessageAt: null },
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('engineHeardAt', () => {
  it('is when a worker last said anything, not moved by restarting a silent one, and null once stopped', () => {
    expect(engineHeardAt()).toBeNull();
    const engine = startEngine(demoTwin(), {}, () => {});
    expect(engineHeardAt()).toBe(1_000_000); // the start counts: a worker that never answers is caught too
    vi.advanceTimersByTime(1000);
    FakeWorker.last!.emit(stats);
    const heard = engineHeardAt();
    expect(heard).toBe(1_001_000);
    const first = FakeWorker.last;
    vi.advanceTimersByTime(SILENCE_LIMIT_MS + 1000); // silent: the client restarts it
    expect(FakeWorker.last).not.toBe(first);
    expect(engineHeardAt()).toBe(heard);
    FakeWorker.last!.emit(stats);
    expect(engineHeardAt()).toBe(Date.now());
    engine.stop();
    expect(engineHeardAt()).toBeNull();
  });

  // Last: the hook is for a page's whole life (the page reloads after it).
  it('test hook: freezes the running worker, and each later one before it starts', () => {
    const engine = startEngine(demoTwin(), {}, () => {});
    const first = FakeWorker.last!;
    first.emit(stats);
    freezeEngineWorkersForTest();
    expect(first.sent.at(-1)).toEqual({ type: 'test-freeze' });
    vi.advanceTimersByTime(SILENCE_LIMIT_MS + 1000);
    const next = FakeWorker.last!;
    expect(next).not.toBe(first);
    expect(next.sent.map((m) => m.type)).toEqual(['test-freeze', 'start']);
    engine.stop();
  });
});
