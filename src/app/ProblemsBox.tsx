import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Twin } from '../twin/schema';
import { findNode, onRegistryChange } from '../scene/sceneRegistry';
import { filterProblems, type ModelNames } from './problemsBox';

/**
 * The problems box above the scene: model load failures, bindings to missing nodes (with every node
 * name the model does have), engine errors. It can be folded to one line (a button, so the keyboard
 * can too), filtered, and scrolls inside a bounded height so it never hides most of the scene.
 */
export function ProblemsBox({ twin, notices }: { twin: Twin; notices: readonly string[] }) {
  const { t } = useTranslation('problems');
  const [open, setOpen] = useState(true);
  const [filter, setFilter] = useState('');
  const [generation, setGeneration] = useState(0);
  useEffect(() => onRegistryChange(() => setGeneration((g) => g + 1)), []);
  const models = useMemo(() => {
    void generation;
    return modelNames(twin);
  }, [twin, generation]);
  const view = filterProblems(notices, models, filter);
  // The names of a model come with the problem that needs them (a missing node), never alone.
  if (notices.length === 0) return null;
  const summary = t('summary', { count: notices.length });
  return (
    <section className="notices" data-testid="notices" data-open={open} aria-label={t('title')}>
      <div className="notices-bar">
        <button
          type="button"
          className="notices-toggle"
          aria-expanded={open}
          aria-controls="notices-list"
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {summary}
        </button>
        {open && (
          <input
            type="search"
            className="notices-filter"
            placeholder={t('filter')}
            aria-label={t('filter')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </div>
      {open && (
        <div className="notices-list" id="notices-list" aria-live="polite">
          <ul>
            {view.notices.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
          {view.models.map((m) => (
            <div key={m.asset} className="notices-names" data-testid={`node-names-${m.asset}`}>
              <h3>
                {t(filter.trim() ? 'nodesInMatching' : 'nodesIn', {
                  model: twin.assets.find((a) => a.id === m.asset)?.model ?? m.asset,
                  count: m.names.length,
                })}
              </h3>
              <ul>
                {m.names.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            </div>
          ))}
          {view.notices.length === 0 && view.models.length === 0 && <p>{t('nothingMatches', { filter })}</p>}
        </div>
      )}
    </section>
  );
}

/** For each asset whose model lacks a node the twin names (bindings, rule assets): every name it has. */
function modelNames(twin: Twin): ModelNames[] {
  const byAsset = new Map<string, ModelNames>();
  const paths = [...twin.bindings.map((b) => b.node), ...twin.rules.flatMap((r) => (r.asset ? [r.asset] : []))];
  for (const path of new Set(paths)) {
    if (!path.includes('/')) continue;
    const found = findNode(path);
    if (found.ok || found.reason !== 'no-node') continue;
    const asset = path.slice(0, path.indexOf('/'));
    const entry = byAsset.get(asset) ?? { asset, missing: [], names: found.names };
    entry.missing.push(path);
    byAsset.set(asset, entry);
  }
  return [...byAsset.values()];
}
