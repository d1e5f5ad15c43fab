/**
 * Each model's node tree with the names as the modelling tool shows them (the glTF's own names, read
 * from the file: src/twin/modelNodes.ts), a repeated name with the path that tells it apart. A row
 * selects the part in the scene (the path a binding names it by); a part picked in the scene marks
 * its row.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Asset } from '../../twin/schema';
import { modelTree, type ModelTreeResult } from '../../twin/modelNodes';
import { nodeRows } from '../nodeRows';
import { modelUrl } from '../../scene/AssetModel';
import { requestFocus, useApp } from '../../store/app';
import { usePreview } from '../preview';
import { readModelJson } from '../modelFiles';

/** Trees by model URL: a blob URL changes with its file, a server URL stays the file. */
const trees = new Map<string, Promise<ModelTreeResult>>();

function treeAt(url: string, name: string): Promise<ModelTreeResult> {
  let tree = trees.get(url);
  if (!tree) {
    tree = (async (): Promise<ModelTreeResult> => {
      const res = await fetch(url);
      if (!res.ok) return { ok: false, error: `HTTP ${res.status}` };
      const read = readModelJson(name, new Uint8Array(await res.arrayBuffer()));
      return read.ok ? modelTree(read.json) : read;
    })().catch((err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err) }));
    trees.set(url, tree);
  }
  return tree;
}

export function NodeTree() {
  const { t } = useTranslation('editorScene');
  const twin = usePreview((s) => s.twin);
  const folder = useApp((s) => (s.load.state === 'ready' ? s.load.id : null));
  const assets = useMemo(() => twin?.assets ?? [], [twin]);
  if (!twin) return <p className="empty">{t('tree.noPreview')}</p>;
  // A tree with no items is an accessibility error (axe: aria-required-children), so the role comes
  // with the first model.
  if (assets.length === 0)
    return (
      <div className="editor-node-tree" data-testid="editor-node-tree">
        <p className="empty">{t('tree.none')}</p>
      </div>
    );
  return (
    <div className="editor-node-tree" data-testid="editor-node-tree" role="tree" aria-label={t('tree.title')}>
      {assets.map((asset) => (
        <AssetNodes key={asset.id} asset={asset} folder={folder ?? twin.id} />
      ))}
    </div>
  );
}

function AssetNodes({ asset, folder }: { asset: Asset; folder: string }) {
  const { t } = useTranslation('editorScene');
  const url = modelUrl(folder, asset);
  const [result, setResult] = useState<ModelTreeResult | null>(null);
  const selected = useApp((s) => s.selected);
  useEffect(() => {
    let live = true;
    setResult(null);
    void treeAt(url, asset.model).then((r) => live && setResult(r));
    return () => {
      live = false;
    };
  }, [url, asset.model]);
  const rows = useMemo(() => (result?.ok ? nodeRows(asset.id, result.tree.nodes) : []), [result, asset.id]);
  const select = (path: string) => useApp.setState({ selected: path });
  const row = (path: string, label: string, detail: string | null, depth: number) => (
    <li key={path} role="none">
      <button
        type="button"
        role="treeitem"
        className="editor-node"
        data-node={path}
        aria-selected={selected === path}
        aria-level={depth + 1}
        style={{ paddingLeft: `${0.4 + depth * 0.9}rem` }}
        onClick={() => select(path)}
        onDoubleClick={() => requestFocus(path)}
        title={t('tree.rowTitle', { path })}
      >
        {label}
        {detail ? <span className="editor-node-detail"> {detail}</span> : null}
      </button>
    </li>
  );
  return (
    <ul role="group" className="editor-node-list">
      {row(asset.id, asset.label ?? asset.id, asset.model, 0)}
      {result === null ? <li className="empty">{t('tree.reading')}</li> : null}
      {result && !result.ok ? (
        <li className="editor-bad">{t('tree.failed', { model: asset.model, reason: result.error })}</li>
      ) : null}
      {rows.map((r) => row(r.path, r.label, r.detail, r.depth))}
    </ul>
  );
}
