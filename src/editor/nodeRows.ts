/**
 * The node tree's rows for one model: its named nodes depth first, each with the path a binding
 * names it by, and the names that repeat shown with that path. Pure (from src/twin/modelNodes.ts).
 */
import { shortestPath, type ModelNode } from '../twin/modelNodes';

export interface NodeRow {
  /** "<asset id>/<path below the asset>", as a binding names the node. */
  path: string;
  /** The name as the file (and the modelling tool) writes it. */
  label: string;
  /** The path below the asset when the name alone does not say which node it is, else null. */
  detail: string | null;
  /** 1 for the model's top-level nodes; unnamed wrappers do not count. */
  depth: number;
}

export function nodeRows(assetId: string, nodes: readonly ModelNode[]): NodeRow[] {
  const tree = { nodes: [...nodes] };
  const named = (n: ModelNode) => n.written !== '' || n.loaded !== '';
  return nodes.filter(named).map((n) => {
    const below = shortestPath(tree, n);
    const label = n.written || n.loaded;
    let depth = 1;
    for (let p = n.parent; p; p = p.parent) if (named(p)) depth++;
    return { path: `${assetId}/${below}`, label, detail: below !== label ? below : null, depth };
  });
}
