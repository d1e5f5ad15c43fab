import { useEffect, useMemo, useState } from 'react';
import type { Twin } from '../twin/schema';
import { useApp } from '../store/app';
import { rollupAlarms, type Rollup } from '../lib/alarmRollup';
import { equipmentPaths, onRegistryChange } from '../scene/sceneRegistry';

const ICON = { urgent: '◆', high: '▲', medium: '■', low: '●' } as const;

/** Alarm roll-up as icon + text, not colour alone (ISA-101 redundant coding). */
function AlarmBadge({ rollup }: { rollup: Rollup | undefined }) {
  if (!rollup) return null;
  const p = rollup.unacknowledged ?? rollup.any;
  if (!p) return null;
  return (
    <span
      className={`tree-alarm ${p}${rollup.unacknowledged ? ' unacked' : ''}`}
      title={`${rollup.count} alarm${rollup.count === 1 ? '' : 's'} here or below; most urgent ${p}`}
    >
      {/* The most urgent priority (unacknowledged first), then how many alarms in all. */}
      <span aria-hidden="true">{ICON[p]}</span> {p}
      {rollup.unacknowledged ? ' unacknowledged' : ''}
      {rollup.count > 1 ? ` · ${rollup.count} alarms` : ''}
    </span>
  );
}

/** Site > area > asset > equipment, in step with the selection, with the alarms rolled up each level. */
export function AssetTree({ twin }: { twin: Twin }) {
  const selected = useApp((s) => s.selected);
  const alarms = useApp((s) => s.alarms);
  const [generation, setGeneration] = useState(0);
  useEffect(() => onRegistryChange(() => setGeneration((g) => g + 1)), []);
  const assetIds = useMemo(() => twin.assets.map((a) => a.id), [twin]);
  // Equipment becomes known as models load; `generation` re-reads it then.
  const equipment = useMemo(() => {
    void generation;
    return equipmentPaths(assetIds);
  }, [assetIds, generation]);
  const parents = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of twin.assets) if (a.area) m.set(a.id, `area:${a.area}`).set(`area:${a.area}`, 'site');
    for (const a of twin.assets) if (!a.area) m.set(a.id, 'site');
    return m;
  }, [twin]);
  const rollup = useMemo(() => rollupAlarms(alarms, parents), [alarms, parents]);
  const areas = [...new Set(twin.assets.map((a) => a.area ?? ''))];
  const select = (path: string) => useApp.setState({ selected: path });

  const assetItems = (area: string) =>
    twin.assets
      .filter((a) => (a.area ?? '') === area)
      .map((a) => (
        <li key={a.id}>
          <button
            type="button"
            className="tree-node"
            aria-current={selected === a.id ? 'true' : undefined}
            onClick={() => select(a.id)}
          >
            {a.label ?? a.id}
          </button>
          <AlarmBadge rollup={rollup.get(a.id)} />
          <ul>
            {equipment
              .filter((p) => p.startsWith(`${a.id}/`))
              .map((p) => (
                <li key={p}>
                  <button
                    type="button"
                    className="tree-node"
                    data-path={p}
                    aria-current={selected === p || selected?.startsWith(`${p}/`) ? 'true' : undefined}
                    onClick={() => select(p)}
                  >
                    {p.slice(a.id.length + 1)}
                  </button>
                  <AlarmBadge rollup={rollup.get(p)} />
                </li>
              ))}
          </ul>
        </li>
      ));

  return (
    <section className="panel asset-tree" aria-label="Assets" data-testid="asset-tree">
      <h2>Assets</h2>
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
