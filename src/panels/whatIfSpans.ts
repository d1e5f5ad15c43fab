/** The spans the what-if offers over the historian (ms before now). Apart from trendWhatIf so the
 * panel can list them without loading the engine. */
export const HISTORY_SPANS: readonly { id: string; ms: number }[] = [
  { id: '1h', ms: 3_600_000 },
  { id: '24h', ms: 86_400_000 },
  { id: '7d', ms: 7 * 86_400_000 },
];
