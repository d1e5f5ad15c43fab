import { useEffect, useMemo, useRef } from 'react';
import type { BindingRuntime } from './bindingRuntime';

/**
 * The DOM layer above the canvas that holds text labels. The binding loop moves and fills them
 * (textContent only, so hostile strings stay text); React renders this once per twin.
 */
export function LabelLayer({ runtime }: { runtime: BindingRuntime }) {
  const labels = useMemo(() => runtime.labelBindings(), [runtime]);
  const refs = useRef<(HTMLDivElement | null)[]>([]);
  useEffect(() => {
    labels.forEach(({ index }, k) => runtime.attachLabel(index, refs.current[k] ?? null));
    return () => labels.forEach(({ index }) => runtime.attachLabel(index, null));
  }, [runtime, labels]);
  return (
    <div className="scene-labels" aria-hidden="false">
      {labels.map(({ index, binding }, k) => (
        <div
          key={index}
          className="scene-label"
          data-testid={`label-${binding.node}`}
          ref={(el) => {
            refs.current[k] = el;
          }}
        />
      ))}
    </div>
  );
}
