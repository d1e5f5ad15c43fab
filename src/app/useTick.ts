import { useEffect, useState } from 'react';

/**
 * Re-renders the caller at most every `ms`: how panels follow telemetry without a render per message.
 * `ms` of 0 or less stops the clock (a panel that is not on screen).
 */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!(ms > 0)) return;
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
