/** Formats a reading for display: a sensible number of decimals, and an em dash when there is none. */
export function formatValue(value: number, unit = ''): string {
  if (Number.isNaN(value)) return '—';
  const abs = Math.abs(value);
  const text = abs >= 1000 ? value.toFixed(0) : abs >= 100 ? value.toFixed(1) : value.toFixed(abs >= 10 ? 1 : 2);
  return unit ? `${text} ${unit}` : text;
}

/** "3 s ago", "2 min ago": how old a reading is. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1500) return 'now';
  if (ms < 90_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 5_400_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}
