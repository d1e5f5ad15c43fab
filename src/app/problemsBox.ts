/** What the problems box above the scene lists, filtered: pure, so the filter's rules are tested alone. */

/** The node names of one asset's model, listed when a binding or rule names a node it lacks. */
export interface ModelNames {
  asset: string;
  /** The node paths of the twin that the model lacks ("station/Pump9_Motor"). */
  missing: string[];
  names: string[];
}

export interface ProblemsView {
  notices: string[];
  models: ModelNames[];
}

/**
 * Keeps the notices and node names that contain `filter` (any case; words in any order). A model's
 * names are kept whole when its asset or a missing path matches, so "pump9" shows what pump 9's model has.
 */
export function filterProblems(
  notices: readonly string[],
  models: readonly ModelNames[],
  filter: string,
): ProblemsView {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const hit = (text: string) => {
    const t = text.toLowerCase();
    return words.every((w) => t.includes(w));
  };
  if (words.length === 0) return { notices: [...notices], models: [...models] };
  return {
    notices: notices.filter(hit),
    models: models.flatMap((m) => {
      if (hit(m.asset) || m.missing.some(hit)) return [m];
      const names = m.names.filter(hit);
      return names.length > 0 ? [{ ...m, names }] : [];
    }),
  };
}
