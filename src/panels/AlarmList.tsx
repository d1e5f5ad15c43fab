import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAlarms, setOperator, setAlarmSound } from '../store/alarms';
import { currentSession } from '../app/session';
import { actOnSession } from './sessionAction';
import { AlarmBanner } from './AlarmBanner';
import { AlarmItem } from './AlarmItem';
import { AlarmAudit } from './AlarmAudit';
import { RuleWhatIf } from './RuleWhatIf';
import { clockTime } from '../lib/clock';
import {
  ALARM_STATES,
  alarmModeText,
  alarmStateText,
  assetChoices,
  DEFAULT_FILTER,
  isUnacknowledged,
  PRIORITIES,
  priorityText,
  visibleAlarms,
  type AlarmFilter,
} from './alarmView';
import { beep, soundAllowed } from './alarmSound';
import { newUrgentRaise } from '../lib/alarmAudit';

export { sortAlarms } from './alarmView';

/** The alarm panel: banner, filters, the list by priority then time, and the audit log. */
export function AlarmList() {
  const { t } = useTranslation('alarms');
  const all = useAlarms((s) => s.all);
  const operator = useAlarms((s) => s.operator);
  const sound = useAlarms((s) => s.sound);
  const mode = useAlarms((s) => s.mode);
  const pending = useAlarms((s) => s.pending);
  const modeText = alarmModeText(mode, clockTime, t);
  const [filter, setFilter] = useState<AlarmFilter>(DEFAULT_FILTER);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = useMemo(() => visibleAlarms(all, filter), [all, filter]);
  const assets = useMemo(() => assetChoices(all), [all]);
  const unacked = shown.filter(isUnacknowledged);
  const canSound = soundAllowed(location.search);
  useNewAlarmBeep(sound && canSound);
  const set = (part: Partial<AlarmFilter>) => setFilter((f) => ({ ...f, ...part }));
  return (
    <section className="panel alarms" aria-labelledby="alarms-title" data-testid="alarm-list">
      <h2 id="alarms-title">
        {t('title')} <span className="count">{shown.length}</span>
        {unacked.length > 0 && (
          <span className="count unacked">{t('unacknowledgedCount', { count: unacked.length })}</span>
        )}
      </h2>
      <p className={`alarm-mode ${mode.kind}`} data-testid="alarm-mode" data-mode={mode.kind} role="status">
        {modeText.text}
      </p>
      <AlarmBanner alarms={all} />
      <div className="alarm-tools">
        <label>
          {t('operator')}{' '}
          <input defaultValue={operator} aria-label={t('operatorName')} onBlur={(e) => setOperator(e.target.value)} />
        </label>
        {canSound && (
          <label>
            <input type="checkbox" checked={sound} onChange={(e) => setAlarmSound(e.target.checked)} /> {t('sound')}
          </label>
        )}
      </div>
      <div className="alarm-filters">
        <select
          aria-label={t('filter.state')}
          value={filter.state}
          onChange={(e) => set({ state: e.target.value as AlarmFilter['state'] })}
        >
          <option value="annunciated">{t('filter.annunciated')}</option>
          <option value="unacknowledged">{t('filter.unacknowledged')}</option>
          <option value="all">{t('filter.allStates')}</option>
          {ALARM_STATES.map((s) => (
            <option key={s} value={s}>
              {alarmStateText(s, t)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('filter.priority')}
          value={filter.priority}
          onChange={(e) => set({ priority: e.target.value as AlarmFilter['priority'] })}
        >
          <option value="all">{t('filter.allPriorities')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {priorityText(p, t)}
            </option>
          ))}
        </select>
        <select aria-label={t('filter.asset')} value={filter.asset} onChange={(e) => set({ asset: e.target.value })}>
          <option value="">{t('filter.allAssets')}</option>
          {assets.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label={t('filter.text')}
          placeholder={t('filter.textPlaceholder')}
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
        />
        <button
          type="button"
          disabled={unacked.length === 0}
          onClick={() =>
            // An alarm whose request is still waiting is not asked again.
            setProblem(
              actOnSession(currentSession(), (s) =>
                unacked.forEach((a) => pending[a.id] === undefined && s.acknowledge(a.id)),
              ),
            )
          }
        >
          {t('ackAllVisible')}
        </button>
      </div>
      {problem && (
        <p className="action-problem" role="alert">
          {problem}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="empty">{all.length === 0 ? t('noActive') : t('noMatch')}</p>
      ) : (
        <ul>
          {shown.map((a) => (
            <AlarmItem key={a.id} alarm={a} />
          ))}
        </ul>
      )}
      <AlarmAudit />
      <RuleWhatIf />
    </section>
  );
}

/** Beeps when the audit log gains a raise of a high or urgent alarm. */
function useNewAlarmBeep(enabled: boolean): void {
  const audit = useAlarms((s) => s.audit);
  const seen = useRef(audit.length > 0 ? audit[audit.length - 1].t : 0);
  useEffect(() => {
    const newest = audit.length > 0 ? audit[audit.length - 1].t : 0;
    const fresh = newUrgentRaise(audit, seen.current);
    seen.current = Math.max(seen.current, newest);
    if (enabled && fresh) beep();
  }, [audit, enabled]);
}
