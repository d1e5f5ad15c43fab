import { useMemo } from 'react';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import { useApp } from '../store/app';
import { currentSession } from '../app/session';
import { formatValue } from '../lib/format';

import { PRIORITY_RANK } from '../lib/alarmRollup';
const PRIORITY_ICON: Record<Priority, string> = { urgent: '◆', high: '▲', medium: '■', low: '●' };
const STATE_TEXT: Record<AlarmSnapshot['state'], string> = {
  active: 'Unacknowledged',
  acknowledged: 'Acknowledged',
  'cleared-unacknowledged': 'Cleared, unacknowledged',
};

export function sortAlarms(alarms: readonly AlarmSnapshot[]): AlarmSnapshot[] {
  return [...alarms].sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || b.raisedAt - a.raisedAt);
}

/** Active alarms by priority then time; priority shown by icon and text as well as colour. */
export function AlarmList() {
  const alarms = useApp((s) => s.alarms);
  const sorted = useMemo(() => sortAlarms(alarms), [alarms]);
  const unacked = alarms.filter((a) => a.state !== 'acknowledged').length;
  return (
    <section className="panel alarms" aria-labelledby="alarms-title" data-testid="alarm-list">
      <h2 id="alarms-title">
        Alarms <span className="count">{alarms.length}</span>
        {unacked > 0 && <span className="count unacked">{unacked} unacknowledged</span>}
      </h2>
      {sorted.length === 0 ? (
        <p className="empty">No active alarms.</p>
      ) : (
        <ul>
          {sorted.map((a) => (
            <li key={a.id} className={`alarm ${a.priority} ${a.state}`} data-alarm-id={a.id} data-state={a.state}>
              <span className="prio" title={a.priority}>
                <span aria-hidden="true">{PRIORITY_ICON[a.priority]}</span> {a.priority}
              </span>
              <span className="msg">{a.message}</span>
              <span className="meta">
                {STATE_TEXT[a.state]} · {new Date(a.raisedAt).toLocaleTimeString()} · value {formatValue(a.value)}
              </span>
              {a.state !== 'acknowledged' && (
                <button
                  type="button"
                  onClick={() => currentSession()?.acknowledge(a.id)}
                  aria-label={`Acknowledge: ${a.message}`}
                >
                  Ack
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
