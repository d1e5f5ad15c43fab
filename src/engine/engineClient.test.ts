import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RESTARTS, SILENCE_LIMIT_MS, startEngine } from './engineClient';
import type { FromWorker, ToWorker } from './protocol';
import { demoTwin } from './testTwins';

class FakeWorker extends EventTarget {
  static last: FakeWorker | null = null;
  readonly sent: ToWorker[] = [];
  terminated = false;
  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    super();
    FakeWorker.last = this;
  }
  postMessage(message: ToWorker) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data: FromWorker) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('Worker', FakeWorker);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('startEngine', () => {
  it('starts a module worker with the twin and the run-time settings', () => {
    const twin = demoTwin();
    startEngine(twin, { brokerUrl: 'ws://b:1', credentials: { username: 'u', password: 'p' } }, () => {});
    const worker = FakeWorker.last!;
    expect(worker.options).toEqual({ type: 'module' });
    expect(worker.url.pathname).toMatch(/engine\.worker\.ts$/);
    expect(worker.sent).toEqual([
      { type: 'start', twin, brokerUrl: 'ws://b:1', credentials: { username: 'u', password: 'p' } },
    ]);
  });

  it("hands a batch's buffer back to the worker once the receiver has applied it", () => {
    const seen: number[] = [];
    startEngine(demoTwin(), {}, (m) => {
      if (m.type === 'batch') seen.push(m.samples[1]);
    });
    const worker = FakeWorker.last!;
    const samples = new Float64Array([0, 42, 1000]);
    worker.emit({ type: 'batch', samples, count: 1 });
    expect(seen).toEqual([42]);
    expect(worker.sent.at(-1)).toEqual({ type: 'recycle', buffer: samples.buffer });
    worker.emit({ type: 'connection', status: { state: 'connecting', url: 'ws://x' } });
    expect(worker.sent.filter((m) => m.type === 'recycle')).toHaveLength(1);
  });

  it('forwards worker messages and reports errors of a worker that never ran without restarting it', () => {
    const received: FromWorker[] = [];
    startEngine(demoTwin(), {}, (m) => received.push(m));
    const worker = FakeWorker.last!;
    // Node has no ErrorEvent: an Event with a message is what the listener reads.
    worker.dispatchEvent(Object.assign(new Event('error'), { message: '' }));
    worker.dispatchEvent(new Event('messageerror'));
    worker.emit({ type: 'connection', status: { state: 'connecting', url: 'ws://x' } });
    expect(received).toEqual([
      { type: 'error', message: 'the engine worker failed to load' },
      { type: 'error', message: expect.stringMatching(/could not be read/) },
      { type: 'connection', status: { state: 'connecting', url: 'ws://x' } },
    ]);
    expect(FakeWorker.last).toBe(worker);
  });

  it('replaces a worker that failed after it ran, starting the new one with the saved alarm state', () => {
    const received: FromWorker[] = [];
    const restarts: string[] = [];
    const saved = { alarms: [], signals: [] };
    const twin = demoTwin();
    startEngine(twin, { restoreState: () => saved, onRestart: (r) => restarts.push(r) }, (m) => received.push(m));
    const first = FakeWorker.last!;
    expect(first.sent[0]).toEqual({ type: 'start', twin, restore: saved });
    first.emit({ type: 'stats', stats: { messages: 0, bytes: 0, rejected: {}, lastRejects: [], lastMessageAt: null } });
    first.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
    const second = FakeWorker.last!;
    expect(second).not.toBe(first);
    expect(first.terminated).toBe(true);
    expect(second.sent).toEqual([{ type: 'start', twin, restore: saved }]);
    expect(restarts).toEqual(['the engine worker failed: boom']);
    first.emit({ type: 'error', message: 'late message of the dead worker' });
    expect(received.map((m) => m.type)).toEqual(['stats', 'error']);
  });

  it('replaces a worker that went silent, and gives up after too many restarts in a minute', () => {
    const received: FromWorker[] = [];
    const engine = startEngine(demoTwin(), {}, (m) => received.push(m));
    expect(engine.alive).toBe(true);
    const stats: FromWorker = {
      type: 'stats',
      stats: { messages: 0, bytes: 0, rejected: {}, lastRejects: [], lastMessageAt: null },
    };
    const workers = new Set<FakeWorker>();
    for (let i = 0; i <= MAX_RESTARTS; i++) {
      const w = FakeWorker.last!;
      workers.add(w);
      w.emit(stats);
      vi.advanceTimersByTime(SILENCE_LIMIT_MS + 1000);
    }
    expect(workers.size).toBe(MAX_RESTARTS + 1);
    expect(engine.alive).toBe(false); // actions would go nowhere: the session says so to the operator
    expect(received[received.length - 1]).toEqual({
      type: 'error',
      message: expect.stringMatching(/not restarted again/),
    });
  });

  it('sends acknowledgements, then stop; forwards nothing after stop and terminates the worker', () => {
    const received: FromWorker[] = [];
    const engine = startEngine(demoTwin(), {}, (m) => received.push(m));
    const worker = FakeWorker.last!;
    engine.acknowledge('pump1.hot', 'ana');
    engine.acknowledge('pump1.overheat');
    expect(engine.alive).toBe(true);
    engine.stop();
    expect(engine.alive).toBe(false);
    engine.acknowledge('late');
    worker.emit({ type: 'error', message: 'after stop' });
    expect(worker.sent.slice(1)).toEqual([
      { type: 'acknowledge', alarmId: 'pump1.hot', operator: 'ana' },
      { type: 'acknowledge', alarmId: 'pump1.overheat' },
      { type: 'stop' },
    ]);
    expect(received).toEqual([]);
    expect(worker.terminated).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(worker.terminated).toBe(true);
  });

  it('sends the request id of an action, so the worker can say how it ended', () => {
    const engine = startEngine(demoTwin(), {}, () => {});
    const worker = FakeWorker.last!;
    engine.acknowledge('pump1.hot', 'ana', 'seen', 'r1');
    engine.alarmAction({ kind: 'reset', alarmId: 'pump1.hot', operator: 'ana' }, 'r2');
    expect(worker.sent.slice(1)).toEqual([
      { type: 'acknowledge', alarmId: 'pump1.hot', operator: 'ana', comment: 'seen', requestId: 'r1' },
      { type: 'alarm-action', action: { kind: 'reset', alarmId: 'pump1.hot', operator: 'ana' }, requestId: 'r2' },
    ]);
  });
});
