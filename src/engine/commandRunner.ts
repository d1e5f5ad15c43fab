/**
 * The worker side of commands: publishes what the CommandTracker asks for through the broker
 * connection, hands it the replies, times requests out, posts every change of state to the main
 * thread, and records each result in the shared audit log as a `command-audit` request to the
 * engine service (src/engine/namespace.ts). The worker session only routes messages here.
 */
import type { Twin } from '../twin/schema';
import type { FromWorker } from './protocol';
import type { PublishResult } from './connection';
import { CommandTracker, defaultResponseTopic, type CommandRequest, type CommandStatus } from './commands';
import { NAMESPACE_VERSION, topics, type ServiceRequest } from './namespace';

export interface CommandRunnerOptions {
  post(message: FromWorker): void;
  /** The connection's publish, or null while there is none. */
  publish: ((topic: string, payload: string, options: PublishOptionsLike) => Promise<PublishResult>) | null;
  /** The MQTT user name when the page has credentials: the `<user>` of its audit requests. */
  user: string | null;
  /** Tags this dashboard's MQTT 5 response topic (a random id per worker). */
  clientTag: string;
  now?: () => number;
}

interface PublishOptionsLike {
  qos: 0 | 1;
  responseTopic?: string;
  correlationData?: Uint8Array;
}

/** The user segment of requests without credentials and without an operator name. */
const ANONYMOUS = 'operator';

export class CommandRunner {
  private readonly tracker: CommandTracker;
  /** Who sent each pending request, for its audit record. */
  private readonly operators = new Map<string, string | undefined>();
  private publishFn: CommandRunnerOptions['publish'];

  constructor(
    private readonly twin: Twin,
    private readonly o: CommandRunnerOptions,
  ) {
    this.tracker = new CommandTracker(twin, {
      responseTopic: defaultResponseTopic(twin.id, o.clientTag),
      now: o.now,
    });
    this.publishFn = o.publish;
  }

  /** Filters to subscribe beside the twin's own, so that replies arrive. */
  replyFilters(): Record<string, { qos: 0 | 1 }> {
    return this.tracker.replyFilters();
  }

  /** Set once the connection exists (it is opened with the filters above). */
  setPublish(publish: CommandRunnerOptions['publish']): void {
    this.publishFn = publish;
  }

  submit(request: CommandRequest): void {
    const started = this.tracker.submit(request);
    if (!started) return; // the same request again: a double click sends once
    this.operators.set(request.requestId, request.operator);
    this.changed(started.status);
    const p = started.publish;
    if (!p) return;
    const publish = this.publishFn;
    if (!publish) {
      const s = this.tracker.published(request.requestId, { ok: false, reason: 'the engine is not connected' });
      if (s) this.changed(s);
      return;
    }
    const options: PublishOptionsLike = { qos: p.qos };
    if (p.responseTopic !== undefined) options.responseTopic = p.responseTopic;
    if (p.correlationData !== undefined) options.correlationData = p.correlationData;
    void publish(p.topic, p.payload, options).then((result) => {
      const s = this.tracker.published(request.requestId, result);
      if (s) this.changed(s);
    });
  }

  /** Takes a message that is a reply to a command; false for anything else (telemetry, the namespace). */
  offer(topic: string, payload: Uint8Array, correlationData?: Uint8Array): boolean {
    if (!this.tracker.isReplyTopic(topic)) return false;
    const s = this.tracker.handleMessage(topic, payload, correlationData);
    if (s) this.changed(s);
    return true;
  }

  tick(): void {
    for (const s of this.tracker.tick()) this.changed(s);
  }

  private changed(status: CommandStatus): void {
    this.o.post({ type: 'command-state', status });
    if (status.state !== 'pending') this.audit(status);
  }

  /** The result, for the shared audit log; the service records the broker's user name as the operator. */
  private audit(status: CommandStatus): void {
    const operator = this.operators.get(status.requestId);
    this.operators.delete(status.requestId);
    const publish = this.publishFn;
    // Not sent at all (an unknown command, bad inputs, offline): nothing reached the plant to record,
    // and without a connection the request could not go either.
    if (!publish || status.topic === '') return;
    const user = this.o.user ?? (operator?.trim() || ANONYMOUS);
    const record: Extract<ServiceRequest, { kind: 'command-audit' }>['record'] = {
      kind: 'command',
      t: status.at,
      commandId: status.commandId,
      topic: status.topic,
      payload: status.payload,
      result: status.state === 'pending' ? 'sent' : status.state,
    };
    if (status.reason !== undefined) record.reason = status.reason;
    const request: ServiceRequest = {
      v: NAMESPACE_VERSION,
      id: `cmd-${status.requestId}`,
      kind: 'command-audit',
      record,
    };
    void publish(topics.requests(this.twin.id, user), JSON.stringify(request), { qos: 1 }).then((r) => {
      // A refused command's audit is refused alike (offline, or the same ACL): the page already says so.
      if (!r.ok && status.state !== 'refused')
        this.o.post({ type: 'error', message: `the command audit could not be recorded: ${r.reason}` });
    });
  }
}
