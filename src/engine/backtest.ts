/**
 * Replays a recording through a twin's rules with the same Engine the worker runs, its clock set to
 * the recording's times, and lists every alarm transition: "what would these rules have done with
 * yesterday's data". Pure: used by the CLI (`twin backtest`) and by the browser's what-if check.
 */
import type { Twin } from '../twin/schema';
import type { AlarmAuditEntry } from './protocol';
import type { RecordedMessage, RecordedValue } from './recording';
import { Engine } from './engine';

/** Rules are also evaluated as time passes between messages, as the worker does every 250 ms. */
export const BACKTEST_TICK_MS = 250;

export interface BacktestEvent extends AlarmAuditEntry {
  message: string;
}

export interface BacktestResult {
  events: BacktestEvent[];
  messages: number;
  from: number | null;
  to: number | null;
  /** Payloads the engine rejected (bad JSON, unknown topic...), by reason. */
  rejected: Record<string, number>;
  /** Decoded values fed to the engine (value lines, the historian's export). */
  values?: number;
  /** Value lines for signals the twin does not define, by signal id. */
  unknownSignals?: Record<string, number>;
}

/**
 * Raise and clear events (and suppression) of every rule over the recording, in time order. Messages
 * go through the decoders; decoded values (value lines) straight to their signals, merged by time.
 */
export function backtest(
  twin: Twin,
  messages: readonly RecordedMessage[],
  values: readonly RecordedValue[] = [],
): BacktestResult {
  const first = Math.min(messages[0]?.t ?? Infinity, values[0]?.t ?? Infinity);
  let now = Number.isFinite(first) ? first : 0;
  const engine = new Engine(twin, { now: () => now });
  const messageOf = new Map(twin.rules.map((r) => [r.id, r.message]));
  const events: BacktestEvent[] = [];
  let nextTick = now + BACKTEST_TICK_MS;
  const collect = () => {
    // Forecast messages change with the ETA: take the text from the alarm list at the time.
    let alarms: Map<string, string> | null = null;
    for (const e of engine.takeAudit()) {
      alarms ??= new Map(engine.alarms().map((a) => [a.id, a.message]));
      events.push({ ...e, message: alarms.get(e.alarmId) ?? messageOf.get(e.alarmId) ?? e.alarmId });
    }
  };
  const unknown: Record<string, number> = {};
  let last = now;
  for (let i = 0, j = 0; i < messages.length || j < values.length;) {
    // The earlier of the next message and the next value; a message first at the same time.
    const takeMessage = j >= values.length || (i < messages.length && messages[i].t <= values[j].t);
    const t = takeMessage ? messages[i].t : values[j].t;
    while (nextTick <= t) {
      now = nextTick;
      engine.tick(now);
      nextTick += BACKTEST_TICK_MS;
    }
    now = t;
    last = t;
    if (takeMessage) {
      const m = messages[i++];
      engine.handleMessage(m.topic, m.payload);
    } else {
      const v = values[j++];
      if (!engine.handleValue(v.signal, v.value, v.t)) unknown[v.signal] = (unknown[v.signal] ?? 0) + 1;
    }
    collect();
  }
  now = nextTick;
  engine.tick(now);
  collect();
  const stats = engine.stats();
  const any = messages.length + values.length > 0;
  const result: BacktestResult = {
    events,
    messages: messages.length,
    from: any ? first : null,
    to: any ? last : null,
    rejected: { ...stats.rejected } as Record<string, number>,
  };
  if (values.length > 0) {
    result.values = values.length;
    if (Object.keys(unknown).length > 0) result.unknownSignals = unknown;
  }
  return result;
}

/** What identifies an alarm transition when a backtest is compared with an expected one. */
export type ExpectedEvent = Pick<AlarmAuditEntry, 't' | 'alarmId' | 'event' | 'state'>;

const eventKey = (e: ExpectedEvent) => `${e.t} ${e.alarmId} ${e.event} ${e.state}`;

/**
 * Compares transitions (time, alarm, event, state; not the message or value, which may be worded
 * differently) and says what is missing and what is new, in time order; both empty when they agree.
 */
export function compareEvents(
  expected: readonly ExpectedEvent[],
  actual: readonly ExpectedEvent[],
): { missing: ExpectedEvent[]; unexpected: ExpectedEvent[] } {
  const count = new Map<string, number>();
  for (const e of actual) count.set(eventKey(e), (count.get(eventKey(e)) ?? 0) + 1);
  const missing: ExpectedEvent[] = [];
  for (const e of expected) {
    const n = count.get(eventKey(e)) ?? 0;
    if (n > 0) count.set(eventKey(e), n - 1);
    else missing.push(e);
  }
  const unexpected: ExpectedEvent[] = [];
  for (const e of actual) {
    const n = count.get(eventKey(e)) ?? 0;
    if (n > 0) {
      count.set(eventKey(e), n - 1);
      unexpected.push(e);
    }
  }
  return { missing, unexpected };
}

/**
 * Reads an expected-alarms file: the `--json` output of `twin backtest` (an object with `events`), or a
 * bare array of events. Returns the events, or a message saying what is wrong.
 */
export function parseExpected(text: string): ExpectedEvent[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'not JSON (expected the --json output of twin backtest)';
  }
  const events = Array.isArray(doc) ? doc : (doc as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return 'has no "events" list (expected the --json output of twin backtest)';
  const out: ExpectedEvent[] = [];
  for (const [i, e] of events.entries()) {
    const o = e as Partial<Record<keyof ExpectedEvent, unknown>> | null;
    if (
      typeof o !== 'object' ||
      o === null ||
      typeof o.t !== 'number' ||
      typeof o.alarmId !== 'string' ||
      typeof o.event !== 'string' ||
      typeof o.state !== 'string'
    )
      return `events[${i}] needs "t" (number), "alarmId", "event" and "state"`;
    out.push({
      t: o.t,
      alarmId: o.alarmId,
      event: o.event as ExpectedEvent['event'],
      state: o.state as ExpectedEvent['state'],
    });
  }
  return out;
}
