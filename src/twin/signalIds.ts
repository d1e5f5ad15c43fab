/** Signal ids may be templates ("pump{pump}.temp") filled from topic captures. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Fills a template from captures; captures missing from the map stay as written. */
export function fillTemplate(template: string, captures: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => captures[name] ?? whole);
}

/** A test for concrete ids that a template can produce. */
export function templateMatcher(template: string): (id: string) => boolean {
  const captures = templateCaptures(template);
  return (id) => captures(id) !== null;
}

/** Reads the captures back out of a concrete id ("pump2.temp" with "{pump}.temp" gives {pump: "pump2"}). */
export function templateCaptures(template: string): (id: string) => Record<string, string> | null {
  if (!template.includes('{')) return (id) => (id === template ? {} : null);
  const names = placeholders(template);
  const source = template
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 === 1 ? '([^/]+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`);
  return (id) => {
    const m = re.exec(id);
    if (!m) return null;
    const out: Record<string, string> = {};
    names.forEach((n, i) => (out[n] = m[i + 1]));
    return out;
  };
}
