import { useState } from 'react';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import { currentSession, type Session } from '../app/session';
import { actOnSession } from './sessionAction';
import { requestFocus, useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { parseDuration } from '../lib/duration';
import { clockTime } from '../lib/clock';
import { SuggestedCommand } from './CommandButton';
import { useAlarms } from '../store/alarms';
import { refusalText, waitingText } from './alarmView';

const PRIORITY_ICON: Record<Priority, string> = { urgent: '◆', high: '▲', medium: '■', low: '●' };
export const STATE_TEXT: Record<AlarmSnapshot['state'], string> = {
  active: 'Unacknowledged',
  acknowledged: 'Acknowledged',
  'cleared-unacknowledged': 'Cleared, unacknowledged',
  shelved: 'Shelved',
  suppressed: 'Suppressed by design',
  'out-of-service': 'Out of service',
};

/** One alarm: what, how urgent, its state and times, its guidance, and what the operator can do. */
export function AlarmItem({ alarm: a }: { alarm: AlarmSnapshot }) {
  const [shelveFor, setShelveFor] = useState('15m');
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // A request in flight for this alarm (its buttons wait, so a click is sent once) and the last refusal.
  const pending = useAlarms((s) => s.pending[a.id]);
  const refused = useAlarms((s) => s.refused[a.id]);
  const shared = useAlarms((s) => s.mode.kind === 'shared');
  // The session is read when the operator acts, not when this was drawn (see currentSession).
  const act = (action: (session: Session) => void) => {
    if (pending) return;
    setProblem(actOnSession(currentSession(), action));
  };
  const busy = pending !== undefined;
  const durationMs = parseDuration(shelveFor);
  const canAck = a.state === 'active' || a.state === 'cleared-unacknowledged';
  const select = () => {
    if (!a.asset) return;
    useApp.setState({ selected: a.asset });
    requestFocus(a.asset);
  };
  return (
    <li
      className={`alarm ${a.priority} ${a.state}`}
      data-alarm-id={a.id}
      data-state={a.state}
      data-raised-at={a.raisedAt}
      aria-busy={busy}
    >
      <span className="prio" title={a.priority}>
        <span aria-hidden="true">{PRIORITY_ICON[a.priority]}</span> {a.priority}
      </span>
      <button type="button" className="msg link" onClick={select} title={a.asset ? `Show ${a.asset}` : undefined}>
        {a.message}
      </button>
      <span className="meta">
        {STATE_TEXT[a.state]}
        {a.predicted && ' · predicted'}
        {a.chattering && <strong className="chatter"> · chattering</strong>}
        {a.latched && ' · latched'} · raised {clockTime(a.raisedAt)} · value{' '}
        {telemetry.formatValueOf(telemetry.indexOf(a.signal), a.value)}
        {a.acknowledgedAt !== undefined && ` · ack ${clockTime(a.acknowledgedAt)} by ${a.acknowledgedBy ?? '?'}`}
        {a.clearedAt !== undefined && ` · cleared ${clockTime(a.clearedAt)}`}
        {a.shelvedUntil !== undefined && ` · shelved until ${clockTime(a.shelvedUntil)}`}
        {a.comment && ` · “${a.comment}”`}
      </span>
      {a.guidance && (
        <details className="guidance">
          <summary>Guidance</summary>
          {a.guidance.cause && <p>Cause: {a.guidance.cause}</p>}
          {a.guidance.consequence && <p>Consequence: {a.guidance.consequence}</p>}
          {a.guidance.action && <p>Action: {a.guidance.action}</p>}
          {a.guidance.command && <SuggestedCommand id={a.guidance.command} />}
        </details>
      )}
      {canAck && (
        <button
          type="button"
          className="ack"
          disabled={busy}
          onClick={() => act((s) => s.acknowledge(a.id, comment.trim() || undefined))}
          aria-label={`Acknowledge: ${a.message}`}
        >
          {/* The whole word: a visible label inside the accessible name, for voice control (axe). */}
          {pending?.what === 'acknowledge' ? waitingText(shared) : 'Acknowledge'}
        </button>
      )}
      {busy && pending.what !== 'acknowledge' && (
        <span className="request-pending" role="status">
          {pending.what}: {waitingText(shared)}
        </span>
      )}
      {problem && (
        <p className="action-problem" role="alert">
          {problem}
        </p>
      )}
      {refused !== undefined && (
        <p className="action-problem" role="alert" data-testid="action-refused">
          {refusalText(refused)}
        </p>
      )}
      {/* Less frequent actions stay folded so a list of many alarms remains readable at a glance. */}
      <details className="more">
        <summary>More actions</summary>
        <span className="actions">
          <input
            aria-label={`Comment for ${a.id}`}
            placeholder={canAck ? 'comment for the acknowledgement' : 'comment'}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <button
            type="button"
            disabled={busy || comment.trim() === ''}
            onClick={() => {
              act((s) => s.alarmAction({ kind: 'comment', alarmId: a.id, comment: comment.trim() }));
              setComment('');
            }}
          >
            Add comment
          </button>
          {a.latched && a.conditionActive === false && (a.state === 'active' || a.state === 'acknowledged') && (
            <button
              type="button"
              disabled={busy}
              onClick={() => act((s) => s.alarmAction({ kind: 'reset', alarmId: a.id }))}
            >
              Reset
            </button>
          )}
          {a.state === 'shelved' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => act((s) => s.alarmAction({ kind: 'unshelve', alarmId: a.id }))}
            >
              Unshelve
            </button>
          ) : a.state !== 'out-of-service' && a.state !== 'suppressed' ? (
            <>
              <input
                className="duration"
                aria-label={`Shelve ${a.id} for`}
                value={shelveFor}
                onChange={(e) => setShelveFor(e.target.value)}
                aria-invalid={durationMs === null || durationMs === 0}
              />
              <button
                type="button"
                disabled={busy || durationMs === null || durationMs === 0}
                onClick={() =>
                  durationMs &&
                  act((s) =>
                    s.alarmAction({ kind: 'shelve', alarmId: a.id, durationMs, comment: comment || undefined }),
                  )
                }
              >
                Shelve
              </button>
            </>
          ) : null}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              act((s) =>
                s.alarmAction({
                  kind: 'out-of-service',
                  alarmId: a.id,
                  outOfService: a.state !== 'out-of-service',
                }),
              )
            }
          >
            {a.state === 'out-of-service' ? 'Return to service' : 'Out of service'}
          </button>
        </span>
      </details>
    </li>
  );
}
