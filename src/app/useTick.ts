import { startTransition, useEffect, useState } from 'react';

/**
 * Re-renders the caller at most every `ms`: how panels follow telemetry without a render per message.
 * `ms` of 0 or less stops the clock (a panel that is not on screen).
 *
 * The re-render is a transition: React renders it in slices of a few milliseconds and lets the page's
 * other work in between. A trend redraw (then with a chart library, an SVG element per point) had
 * been one task of 20-60 ms every second, and a telemetry batch arriving meanwhile waited for it: the
 * pump station's publish-to-pixel p95 was 88-121 ms with its two trend panels and 63-83 ms without
 * them (`npm run bench -- scene`). Input and the operator's own actions still render at once.
 */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!(ms > 0)) return;
    const timer = setInterval(() => startTransition(() => setTick((t) => t + 1)), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
