import { useEffect, useState } from 'react';

/** Re-renders the caller at most every `ms`: how panels follow telemetry without a render per message. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
