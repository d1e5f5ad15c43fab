import { useApp } from '../store/app';

/** Message and reject counts from the engine; rejected samples shown as text, never as HTML. */
export function Diagnostics() {
  const stats = useApp((s) => s.stats);
  const rate = useApp((s) => s.messageRate);
  if (!stats) return null;
  const rejected = Object.entries(stats.rejected).filter(([, n]) => (n ?? 0) > 0);
  return (
    <details className="panel diagnostics" data-testid="diagnostics">
      <summary>
        Diagnostics · {stats.messages.toLocaleString()} messages · {Math.round(rate)}/s
        {rejected.length > 0 && ` · ${rejected.reduce((n, [, k]) => n + (k ?? 0), 0)} rejected`}
      </summary>
      <ul>
        {rejected.map(([reason, n]) => (
          <li key={reason} data-reason={reason}>
            {reason}: {n}
          </li>
        ))}
      </ul>
      {stats.lastRejects.length > 0 && (
        <ol className="rejects">
          {stats.lastRejects.map((r, i) => (
            <li key={i}>
              <code>{r.topic}</code> {r.reason}: <code>{r.sample}</code>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
