import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { useTick } from '../app/useTick';
import { ReadingRow } from './ReadingRow';

/** Current values, refreshed four times a second; readings that are not live say which and why. */
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
          {signals.map((id) => (
            <ReadingRow key={id} twin={twin} id={id} now={now} testId={`value-${id}`} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
