import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEngine } from './engineClient';
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

  it('forwards worker messages and reports worker errors as error messages', () => {
    const received: FromWorker[] = [];
    startEngine(demoTwin(), {}, (m) => received.push(m));
    const worker = FakeWorker.last!;
    worker.emit({ type: 'connection', status: { state: 'connecting', url: 'ws://x' } });
    // Node has no ErrorEvent: an Event with a message is what the listener reads.
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
    worker.dispatchEvent(Object.assign(new Event('error'), { message: '' }));
    worker.dispatchEvent(new Event('messageerror'));
    expect(received).toEqual([
      { type: 'connection', status: { state: 'connecting', url: 'ws://x' } },
      { type: 'error', message: 'boom' },
      { type: 'error', message: 'the engine worker failed to load' },
      { type: 'error', message: expect.stringMatching(/could not be read/) },
    ]);
  });

  it('sends acknowledgements, then stop; forwards nothing after stop and terminates the worker', () => {
    const received: FromWorker[] = [];
    const engine = startEngine(demoTwin(), {}, (m) => received.push(m));
    const worker = FakeWorker.last!;
    engine.acknowledge('pump1.hot', 'ana');
    engine.acknowledge('pump1.overheat');
    engine.stop();
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
});
