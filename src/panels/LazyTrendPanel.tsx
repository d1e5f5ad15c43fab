import { Component, lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import type { TrendPanel as TrendPanelType } from './TrendPanel';

type TrendProps = ComponentProps<typeof TrendPanelType>;

// The trend panel (its own SVG chart, ~10 kB gzip) is fetched only when a trend is on screen: the kiosk
// and most embeds never show one, and the operator's first picture is the scene (docs/deploying.md).
const TrendPanel = lazy(() => import('./TrendPanel').then((m) => ({ default: m.TrendPanel })));

/** TrendPanel, loaded on first use; until then a placeholder of the same size, so nothing jumps. */
export function LazyTrendPanel(props: TrendProps) {
  const placeholder = <TrendPlaceholder title={props.title} />;
  return (
    <ChunkBoundary fallback={placeholder}>
      <Suspense fallback={placeholder}>
        <TrendPanel {...props} />
      </Suspense>
    </ChunkBoundary>
  );
}

function TrendPlaceholder({ title }: { title: string }) {
  return (
    <section className="panel trend" aria-label={title} aria-busy="true" data-testid="trend-placeholder">
      <h2>{title}</h2>
      {/* The rows the panel puts above its chart (window buttons, the range line), kept empty. */}
      <div className="trend-controls" style={{ minHeight: '1.7rem' }} aria-hidden="true" />
      <p className="trend-range" aria-hidden="true">
        {'\u00a0'}
      </p>
      <div className="chart" />
    </section>
  );
}

/**
 * A chart chunk that cannot be fetched (the web server went away after the page loaded) leaves the
 * placeholder instead of taking the whole dashboard down with it.
 */
class ChunkBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
