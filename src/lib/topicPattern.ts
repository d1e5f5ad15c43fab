/**
 * MQTT topic patterns as used in twin files: "+" matches one level, "+name" matches one level and
 * captures it as `name`, "#" (last level only) matches the rest.
 */
export type TopicLevel = { kind: 'literal'; text: string } | { kind: 'one'; name: string | null } | { kind: 'rest' };

export type ParsedPattern = { ok: true; levels: TopicLevel[] } | { ok: false; error: string };

const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTopicPattern(pattern: string): ParsedPattern {
  if (pattern.length === 0) return { ok: false, error: 'topic pattern is empty' };
  const parts = pattern.split('/');
  const levels: TopicLevel[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '#') {
      if (i !== parts.length - 1) return { ok: false, error: '"#" must be the last level' };
      levels.push({ kind: 'rest' });
    } else if (part.startsWith('+')) {
      const name = part.slice(1);
      if (name !== '' && !CAPTURE_NAME.test(name)) {
        return { ok: false, error: `"+${name}": a capture name is letters, digits and "_", not starting with a digit` };
      }
      if (name !== '' && levels.some((l) => l.kind === 'one' && l.name === name)) {
        return { ok: false, error: `"+${name}" is captured twice; give each capture its own name` };
      }
      levels.push({ kind: 'one', name: name === '' ? null : name });
    } else if (part.includes('+') || part.includes('#')) {
      return { ok: false, error: `"${part}": wildcards must fill a whole level` };
    } else {
      levels.push({ kind: 'literal', text: part });
    }
  }
  return { ok: true, levels };
}

/** The MQTT subscription filter for a pattern: capture names dropped ("+pump" becomes "+"). */
export function toMqttFilter(pattern: string): string {
  return pattern
    .split('/')
    .map((p) => (p.startsWith('+') ? '+' : p))
    .join('/');
}

/** Names captured by a pattern, in order. */
export function captureNames(levels: readonly TopicLevel[]): string[] {
  const names: string[] = [];
  for (const level of levels) if (level.kind === 'one' && level.name) names.push(level.name);
  return names;
}

/** Does an MQTT subscription filter cover every topic a pattern can match? */
export function filterCovers(filter: string, pattern: string): boolean {
  const f = filter.split('/');
  const p = toMqttFilter(pattern).split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= p.length) return false;
    if (p[i] === '#') return false;
    if (f[i] === '+') continue;
    if (p[i] === '+' || f[i] !== p[i]) return false;
  }
  return f.length === p.length;
}
