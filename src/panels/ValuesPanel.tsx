import type { Twin } from '../twin/schema';
import { telemetry } from '../store/telemetry';
import { useApp } from '../store/app';
import { useTick } from '../app/useTick';
import { formatAge, formatValue } from '../lib/format';
import { signalMeta } from '../twin/signalMeta';

/** Current values, refreshed four times a second; stale readings say so in text. */
export function ValuesPanel({ twin, title, signals }: { twin: Twin; title: string; signals: string[] }) {
  useTick(250);
  // Re-render at once when the connection changes (values go stale with it), not only on the tick.
  useApp((s) => s.connection?.state);
  const now = Date.now();
  return (
    <section className="panel values" aria-label={title}>
      <h2>{title}</h2>
      <table>
        <tbody>
          {signals.map((id) => {
            const meta = signalMeta(twin, id);
            const time = telemetry.time(id);
            // The store's check: connection (for broker signals), period, and quality (gaps, deaths).
            const index = telemetry.indexOf(id);
            const stale = index < 0 || telemetry.isStale(index, now);
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
