import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useApp } from '../store/app';
import { useTick } from '../app/useTick';
import { formatAge, formatValue } from '../lib/format';
import { isStale } from '../lib/staleness';
import { signalMeta } from './signalMeta';

/** Current values, refreshed four times a second; stale readings say so in text. */
export function ValuesPanel({ twin, title, signals }: { twin: Twin; title: string; signals: string[] }) {
  useTick(250);
  const online = useApp((s) => s.connection?.state === 'online');
  const now = Date.now();
  return (
    <section className="panel values" aria-label={title}>
      <h2>{title}</h2>
      <table>
        <tbody>
          {signals.map((id) => {
            const meta = signalMeta(twin, id);
            const time = telemetry.time(id);
            const stale = isStale({ time, now, periodMs: meta.periodMs, online });
            const value = telemetry.value(id);
            return (
              <tr key={id} className={stale ? 'stale' : undefined} data-signal={id} data-stale={stale}>
                <th scope="row">{meta.label}</th>
                <td className="value" data-testid={`value-${id}`}>
                  {formatValue(value, meta.unit)}
                </td>
                <td className="age">
                  {Number.isNaN(value) ? 'no data' : stale ? `stale · ${formatAge(now - time)}` : formatAge(now - time)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
