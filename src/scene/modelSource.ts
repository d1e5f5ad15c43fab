/**
 * Where a model file is loaded from. Normally the twin's folder on the server; the editor sets a
 * resolver so a file dropped into a draft (not saved anywhere yet) previews from a blob URL instead.
 */
export type ModelUrlResolver = (model: string) => string | null;

let resolver: ModelUrlResolver | null = null;

/** Sets (or with null clears) the resolver asked first for each model path. Returns its reset. */
export function setModelUrlResolver(next: ModelUrlResolver | null): () => void {
  resolver = next;
  return () => {
    if (resolver === next) resolver = null;
  };
}

/** The URL the resolver gives for a model path (as the twin writes it), or null: load from the folder. */
export function resolvedModelUrl(model: string): string | null {
  return resolver ? resolver(model) : null;
}
