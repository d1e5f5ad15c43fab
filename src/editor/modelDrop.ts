/**
 * Adds dropped or picked files to the draft: each good model becomes an asset (its id from the file
 * name) with its files, all in one undo step; what was not added comes back with the reason
 * (modelFiles.ts decides).
 */
import { addFiles, useDraft } from './draft';
import { assetIdFor, sortDrop } from './modelFiles';
import { idsOf, listOf } from './sceneEdit';

export interface DropReport {
  /** Asset ids added. */
  added: string[];
  rejected: { file: string; reason: string }[];
}

export async function addDroppedFiles(files: readonly File[]): Promise<DropReport> {
  const dropped = await Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()), file: f })),
  );
  const byName = new Map(dropped.map((d) => [d.name, d.file]));
  const state = useDraft.getState();
  const sorted = sortDrop(dropped, Object.keys(state.files));
  const taken = idsOf(state.doc, 'assets');
  const assets = sorted.models.map((m) => {
    const id = assetIdFor(m.path, taken);
    taken.push(id);
    return { id, model: m.path };
  });
  if (assets.length > 0) {
    addFiles(
      sorted.files.flatMap((f) => {
        const blob = byName.get(f.source);
        return blob ? [{ path: f.path, blob }] : [];
      }),
      assets.length === 1 ? `Add model ${assets[0].model}` : `Add ${assets.length} models`,
      (doc) => {
        const list = listOf(doc, 'assets');
        for (const a of assets) list.push({ id: a.id, model: a.model, position: [0, 0, 0] });
      },
    );
  }
  return { added: assets.map((a) => a.id), rejected: sorted.rejected };
}
