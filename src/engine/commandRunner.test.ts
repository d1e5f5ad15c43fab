import { describe, expect, it } from 'vitest';
import { twinSchema } from '../twin/schema';
import type { FromWorker } from './protocol';
import type { PublishResult } from './connection';
import { CommandRunner } from './commandRunner';

const twin = twinSchema.parse({
  id: 'lab',
  title: 'Lab',
  connection: { url: 'ws://127.0.0.1:9001', subscribe: ['lab/#'] },
  commands: [
    {
      id: 'pump.start',
      label: 'Start',
      topic: 'lab/pump/cmd',
      payload: { action: 'start', id: '{requestId}' },
      reply: { via: 'topic', topic: 'lab/pump/cmd/ack', match: 'id', ok: 'ok', reason: 'reason' },
      timeout: '2s',
    },
  ],
});

function setup(answer: PublishResult = { ok: true }) {
  const posted: FromWorker[] = [];
  const published: { topic: string; payload: string }[] = [];
  const clock = { t: 1000 };
  const runner = new CommandRunner(twin, {
    post: (m) => posted.push(m),
    publish: async (topic, payload) => {
      published.push({ topic, payload });
      return topic.startsWith('twinview/') ? { ok: true } : answer;
    },
    user: null,
    clientTag: 'tag',
    now: () => clock.t,
  });
  const states = () => posted.flatMap((m) => (m.type === 'command-state' ? [m.status.state] : []));
  return { runner, posted, published, clock, states };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('CommandRunner', () => {
  it('publishes once per request id, posts pending then confirmed on the reply, and records the result for the audit log', async () => {
    const { runner, published, states } = setup();
    const request = { requestId: 'r1', commandId: 'pump.start', params: {}, operator: 'ann' };
    runner.submit(request);
    runner.submit(request); // a double click
    await flush();
    expect(published).toEqual([{ topic: 'lab/pump/cmd', payload: '{"action":"start","id":"r1"}' }]);
    expect(runner.offer('lab/other', new Uint8Array())).toBe(false);
    expect(runner.offer('lab/pump/cmd/ack', new TextEncoder().encode('{"id":"r1","ok":true}'))).toBe(true);
    await flush();
    expect(states()).toEqual(['pending', 'confirmed']);
    expect(published[1].topic).toBe('twinview/v1/lab/requests/ann');
    expect(JSON.parse(published[1].payload)).toMatchObject({
      v: 1,
      id: 'cmd-r1',
      kind: 'command-audit',
      record: { kind: 'command', commandId: 'pump.start', topic: 'lab/pump/cmd', result: 'confirmed' },
    });
  });

  it("shows the broker's refusal with its reason code", async () => {
    const { runner, posted } = setup({ ok: false, reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 });
    runner.submit({ requestId: 'r1', commandId: 'pump.start', params: {} });
    await flush();
    expect(posted.at(-1)).toMatchObject({
      type: 'command-state',
      status: { state: 'refused', reason: 'the broker refused it (Not authorized)', reasonCode: 0x87 },
    });
  });

  it('times a request out on the tick after its timeout', async () => {
    const { runner, clock, states } = setup();
    runner.submit({ requestId: 'r1', commandId: 'pump.start', params: {} });
    await flush();
    clock.t += 1999;
    runner.tick();
    expect(states()).toEqual(['pending']);
    clock.t += 1;
    runner.tick();
    expect(states()).toEqual(['pending', 'timed-out']);
  });
});
