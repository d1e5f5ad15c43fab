/** Checks for command-line flags shared by `npm start` and the simulator's CLI. */

/** A mistake on the command line: printed as one line, with no stack trace. */
export class UsageError extends Error {}

export function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function numberFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function onOffFlag(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new UsageError(`--${name} must be on or off (got "${raw}")`);
}

/** A broker URL mqtt.js can reach: ws(s):// for browsers and Node, mqtt(s):// for Node only. */
export function brokerUrlFlag(name: string, raw: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${name} must be a URL such as ws://127.0.0.1:9001 (got "${raw}")`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new UsageError(`--${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')} (got "${raw}")`);
  }
  return raw;
}

/** parseArgs reports unknown or malformed flags with these codes: they are usage errors too. */
export function isUsageError(err: unknown): err is Error {
  if (err instanceof UsageError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
