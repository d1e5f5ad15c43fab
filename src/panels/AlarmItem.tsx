import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmSnapshot } from '../engine/protocol';
import type { Priority } from '../twin/schema';
import { currentSession, type Session } from '../app/session';
import { actOnSession } from './sessionAction';
import { requestFocus, useApp } from '../store/app';
import { telemetry } from '../store/telemetry';
import { parseDuration } from '../lib/duration';
import { clockTime, dateTime } from '../lib/clock';
import { SuggestedCommand } from './CommandButton';
import { useAlarms } from '../store/alarms';
import { alarmStateText, priorityText, refusalText, waitingText } from './alarmView';

const PRIORITY_ICON: Record<Priority, string> = { urgent: '◆', high: '▲', medium: '■', low: '●' };

/** One alarm: what, how urgent, its state and times, its guidance, and what the operator can do. */
export function AlarmItem({ alarm: a }: { alarm: AlarmSnapshot }) {
  const { t } = useTranslation('alarms');
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
      <span className="prio" title={priorityText(a.priority, t)}>
        <span aria-hidden="true">{PRIORITY_ICON[a.priority]}</span> {priorityText(a.priority, t)}
      </span>
      <button
        type="button"
        className="msg link"
        onClick={select}
        title={a.asset ? t('item.show', { asset: a.asset }) : undefined}
      >
        {a.message}
      </button>
      <span className="meta">
        {alarmStateText(a.state, t)}
        {a.predicted && ` · ${t('item.predicted')}`}
        {a.chattering && <strong className="chatter"> · {t('item.chattering')}</strong>}
        {a.latched && ` · ${t('item.latched')}`} ·{' '}
        <time dateTime={new Date(a.raisedAt).toISOString()} title={dateTime(a.raisedAt)}>
          {t('item.raised', { time: clockTime(a.raisedAt) })}
        </time>{' '}
        · {t('item.value', { value: telemetry.formatValueOf(telemetry.indexOf(a.signal), a.value) })}
        {a.acknowledgedAt !== undefined &&
          ` · ${t('item.ackBy', { time: clockTime(a.acknowledgedAt), operator: a.acknowledgedBy ?? '?' })}`}
        {a.clearedAt !== undefined && ` · ${t('item.cleared', { time: clockTime(a.clearedAt) })}`}
        {a.shelvedUntil !== undefined && ` · ${t('item.shelvedUntil', { time: clockTime(a.shelvedUntil) })}`}
        {a.comment && ` · “${a.comment}”`}
      </span>
      {a.guidance && (
        <details className="guidance">
          <summary>{t('item.guidance')}</summary>
          {a.guidance.cause && <p>{t('item.cause', { text: a.guidance.cause })}</p>}
          {a.guidance.consequence && <p>{t('item.consequence', { text: a.guidance.consequence })}</p>}
          {a.guidance.action && <p>{t('item.action', { text: a.guidance.action })}</p>}
          {a.guidance.command && <SuggestedCommand id={a.guidance.command} />}
        </details>
      )}
      {canAck && (
        <button
          type="button"
          className="ack"
          disabled={busy}
          onClick={() => act((s) => s.acknowledge(a.id, comment.trim() || undefined))}
          aria-label={t('item.acknowledgeLabel', { message: a.message })}
        >
          {/* The whole word: a visible label inside the accessible name, for voice control (axe). */}
          {pending?.what === 'acknowledge' ? waitingText(shared, t) : t('item.acknowledge')}
        </button>
      )}
      {busy && pending.what !== 'acknowledge' && (
        <span className="request-pending" role="status">
          {t(`item.pending.${pending.what}`, { defaultValue: pending.what })}: {waitingText(shared, t)}
        </span>
      )}
      {problem && (
        <p className="action-problem" role="alert">
          {problem}
        </p>
      )}
      {refused !== undefined && (
        <p className="action-problem" role="alert" data-testid="action-refused">
          {refusalText(refused, t)}
        </p>
      )}
      {/* Less frequent actions stay folded so a list of many alarms remains readable at a glance. */}
      <details className="more">
        <summary>{t('item.moreActions')}</summary>
        <span className="actions">
          <input
            aria-label={t('item.commentFor', { id: a.id })}
            placeholder={canAck ? t('item.commentForAck') : t('item.comment')}
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
            {t('item.addComment')}
          </button>
          {a.latched && a.conditionActive === false && (a.state === 'active' || a.state === 'acknowledged') && (
            <button
              type="button"
              disabled={busy}
              onClick={() => act((s) => s.alarmAction({ kind: 'reset', alarmId: a.id }))}
            >
              {t('item.reset')}
            </button>
          )}
          {a.state === 'shelved' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => act((s) => s.alarmAction({ kind: 'unshelve', alarmId: a.id }))}
            >
              {t('item.unshelve')}
            </button>
          ) : a.state !== 'out-of-service' && a.state !== 'suppressed' ? (
            <>
              <input
                className="duration"
                aria-label={t('item.shelveFor', { id: a.id })}
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
                {t('item.shelve')}
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
            {a.state === 'out-of-service' ? t('item.returnToService') : t('item.outOfService')}
          </button>
        </span>
      </details>
    </li>
  );
}
