/**
 * Replays a recording through a twin's rules with the same Engine the worker runs, its clock set to
 * the recording's times, and lists every alarm transition: "what would these rules have done with
 * yesterday's data". Pure: used by the CLI (`twin backtest`) and by the browser's what-if check.
 */
import type { Twin } from '../twin/schema';
import type { AlarmAuditEntry } from './protocol';
import type { RecordedMessage } from './recording';
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
}

/** Raise and clear events (and suppression) of every rule over the recording, in time order. */
export function backtest(twin: Twin, messages: readonly RecordedMessage[]): BacktestResult {
  let now = messages.length > 0 ? messages[0].t : 0;
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
  for (const m of messages) {
    while (nextTick <= m.t) {
      now = nextTick;
      engine.tick(now);
      nextTick += BACKTEST_TICK_MS;
    }
    now = m.t;
    engine.handleMessage(m.topic, m.payload);
    collect();
  }
  now = nextTick;
  engine.tick(now);
  collect();
  const stats = engine.stats();
  return {
    events,
    messages: messages.length,
    from: messages.length > 0 ? messages[0].t : null,
    to: messages.length > 0 ? messages[messages.length - 1].t : null,
    rejected: { ...stats.rejected } as Record<string, number>,
  };
}
