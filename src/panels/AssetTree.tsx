import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { priorityText } from './alarmView';
import type { Twin } from '../twin/schema';
import type { AlarmSnapshot } from '../engine/protocol';
import { requestFocus, useApp } from '../store/app';
import { rollupAlarms, type Rollup } from '../lib/alarmRollup';
import {
  equipmentPathOf,
  equipmentTree,
  findNode,
  onRegistryChange,
  type EquipmentEntry,
} from '../scene/sceneRegistry';

const ICON = { urgent: '◆', high: '▲', medium: '■', low: '●' } as const;

/** Alarm roll-up as icon + text, not colour alone (ISA-101 redundant coding). */
function AlarmBadge({ rollup }: { rollup: Rollup | undefined }) {
  const { t } = useTranslation('inspector');
  if (!rollup) return null;
  const p = rollup.unacknowledged ?? rollup.any;
  if (!p) return null;
  return (
    <span
      className={`tree-alarm ${p}${rollup.unacknowledged ? ' unacked' : ''}`}
      title={t('tree.alarmTitle', { count: rollup.count, priority: priorityText(p, t) })}
    >
      {/* The most urgent priority (unacknowledged first), then how many alarms in all. */}
      <span aria-hidden="true">{ICON[p]}</span> {priorityText(p, t)}
      {rollup.unacknowledged ? ` ${t('tree.unacknowledged')}` : ''}
      {rollup.count > 1 ? ` · ${t('tree.alarmCount', { count: rollup.count })}` : ''}
    </span>
  );
}

/**
 * Site > area > asset > equipment > parts, in step with the selection, with the alarms rolled up each
 * level. Nested equipment is folded under its parent until opened (or until something inside it is
 * selected); "Fit" on a row frames that asset or part.
 */
export function AssetTree({ twin }: { twin: Twin }) {
  const { t } = useTranslation('inspector');
  const selected = useApp((s) => s.selected);
  const alarms = useApp((s) => s.alarms);
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => onRegistryChange(() => setGeneration((g) => g + 1)), []);
  const assetIds = useMemo(() => twin.assets.map((a) => a.id), [twin]);
  // Equipment becomes known as models load; `generation` re-reads it then.
  const equipment = useMemo(() => {
    void generation;
    return equipmentTree(assetIds);
  }, [assetIds, generation]);
  const byParent = useMemo(() => {
    const m = new Map<string, EquipmentEntry[]>();
    for (const e of equipment) m.set(e.parent, [...(m.get(e.parent) ?? []), e]);
    return m;
  }, [equipment]);
  // Rows that hold the selection stay open, so the selected part is always in sight.
  const holdsSelection = useMemo(() => {
    const out = new Set<string>();
    const parentOf = new Map(equipment.map((e) => [e.path, e.parent]));
    for (let p = selected ? parentOf.get(selected) : undefined; p !== undefined; p = parentOf.get(p)) out.add(p);
    return out;
  }, [equipment, selected]);
  const parents = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of twin.assets) if (a.area) m.set(a.id, `area:${a.area}`).set(`area:${a.area}`, 'site');
    for (const a of twin.assets) if (!a.area) m.set(a.id, 'site');
    return m;
  }, [twin]);
  const { rollup, keyOf } = useMemo(() => treeRollup(alarms, equipment, parents), [alarms, equipment, parents]);
  const areas = [...new Set(twin.assets.map((a) => a.area ?? ''))];
  const select = (path: string) => useApp.setState({ selected: path });
  const toggle = (path: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(path)) next.add(path);
      return next;
    });

  const fit = (path: string, label: string) => (
    <button
      type="button"
      className="tree-fit"
      onClick={() => requestFocus(path)}
      title={t('tree.fitLabel', { label })}
      aria-label={t('tree.fitLabel', { label })}
    >
      {t('tree.fit')}
    </button>
  );

  const equipmentItems = (parent: string): ReactNode => {
    const children = byParent.get(parent);
    if (!children) return null;
    return (
      <ul>
        {children.map((e) => {
          const nested = byParent.has(e.path);
          const expanded = nested && (open.has(e.path) || holdsSelection.has(e.path));
          return (
            <li key={e.path}>
              {nested ? (
                <button
                  type="button"
                  className="tree-toggle"
                  aria-expanded={expanded}
                  aria-label={t(expanded ? 'tree.fold' : 'tree.open', { label: e.label })}
                  onClick={() => toggle(e.path)}
                >
                  {expanded ? '▾' : '▸'}
                </button>
              ) : (
                <span className="tree-toggle" aria-hidden="true" />
              )}
              <button
                type="button"
                className="tree-node"
                data-path={e.path}
                aria-current={selected === e.path ? 'true' : undefined}
                onClick={() => select(e.path)}
              >
                {e.label}
              </button>
              {fit(e.path, e.label)}
              <AlarmBadge rollup={rollup.get(keyOf(e.path))} />
              {expanded && equipmentItems(e.path)}
            </li>
          );
        })}
      </ul>
    );
  };

  const assetItems = (area: string) =>
    twin.assets
      .filter((a) => (a.area ?? '') === area)
      .map((a) => (
        <li key={a.id}>
          <button
            type="button"
            className="tree-node"
            data-path={a.id}
            aria-current={selected === a.id ? 'true' : undefined}
            onClick={() => select(a.id)}
          >
            {a.label ?? a.id}
          </button>
          {fit(a.id, a.label ?? a.id)}
          <AlarmBadge rollup={rollup.get(a.id)} />
          {equipmentItems(a.id)}
        </li>
      ));

  return (
    <section className="panel asset-tree" aria-label={t('tree.title')} data-testid="asset-tree">
      <h2>{t('tree.title')}</h2>
      <ul>
        <li>
          <span className="tree-site">{twin.title}</span> <AlarmBadge rollup={rollup.get('site')} />
          <ul>
            {areas.map((area) =>
              area === '' ? (
                assetItems('')
              ) : (
                <li key={`area:${area}`}>
                  <span className="tree-area">{area}</span> <AlarmBadge rollup={rollup.get(`area:${area}`)} />
                  <ul>{assetItems(area)}</ul>
                </li>
              ),
            )}
          </ul>
        </li>
      </ul>
    </section>
  );
}

/**
 * Alarm roll-up along the equipment tree. Rolling up goes by path prefix ("station" holds
 * "station/Pump1"), but a nested part's path need not start with its parent's ("station/Pump1_Motor"
 * sits in "station/Pump1"): each row gets a key made of its place in the tree, and each alarm the key
 * of the row its asset is (or is inside).
 */
function treeRollup(
  alarms: readonly AlarmSnapshot[],
  equipment: readonly EquipmentEntry[],
  parents: ReadonlyMap<string, string>,
): { rollup: Map<string, Rollup>; keyOf: (path: string) => string } {
  const keys = new Map<string, string>();
  equipment.forEach((e, i) => keys.set(e.path, `${keys.get(e.parent) ?? e.parent}/${i}`));
  const keyOf = (path: string) => keys.get(path) ?? path;
  const placed = alarms.map((a) => {
    if (a.asset === undefined || keys.has(a.asset)) return { ...a, asset: a.asset && keyOf(a.asset) };
    const node = findNode(a.asset);
    const owner = node.ok ? equipmentPathOf(node.node) : null;
    return owner && keys.has(owner) ? { ...a, asset: keyOf(owner) } : a;
  });
  return { rollup: rollupAlarms(placed, parents), keyOf };
}
