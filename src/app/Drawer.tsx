import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The side panels: a column beside the scene on a wide screen; below the `narrow` breakpoint in app.css
 * (tablets, phones in landscape) a drawer over the scene's right side, opened and closed by `toggle`
 * (see DrawerToggle). Escape inside the open drawer closes it and gives focus back to its button.
 */
export function Drawer({
  id,
  open,
  onClose,
  label,
  children,
}: {
  id: string;
  open: boolean;
  onClose: () => void;
  label: string;
  children: ReactNode;
}) {
  return (
    <aside
      id={id}
      className={`side${open ? ' open' : ''}`}
      aria-label={label}
      tabIndex={-1}
      data-testid="side-drawer"
      data-open={open}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open || !isNarrow()) return;
        // The scene's own Escape (clear the selection) is not meant while working in the panels.
        e.stopPropagation();
        onClose();
        document.querySelector<HTMLElement>(`[aria-controls="${id}"]`)?.focus();
      }}
    >
      {children}
    </aside>
  );
}

/** The button that opens and closes the drawer; shown only below the breakpoint. */
export function DrawerToggle({
  controls,
  open,
  onToggle,
  badge,
}: {
  controls: string;
  open: boolean;
  onToggle: () => void;
  /** Unacknowledged alarms, shown on the closed drawer's button so they are never hidden. */
  badge: number;
}) {
  const { t } = useTranslation('operator');
  const badgeId = useId();
  return (
    <button
      type="button"
      className="drawer-toggle"
      aria-expanded={open}
      aria-controls={controls}
      aria-describedby={badge > 0 ? badgeId : undefined}
      data-testid="drawer-toggle"
      onClick={() => {
        onToggle();
        // Opened from its button, focus goes into the drawer, which comes after the scene in the page.
        if (!open) requestAnimationFrame(() => document.getElementById(controls)?.focus());
      }}
    >
      {/* On a phone the label gives way to three bars (drawn in CSS, no font needed); it stays the name. */}
      <span className="drawer-glyph" aria-hidden="true" />
      <span className="drawer-label">{open ? t('hidePanels') : t('showPanels')}</span>
      {badge > 0 && (
        <span id={badgeId} className="drawer-badge">
          {/* Narrow screens show the number alone; the words stay for screen readers. */}
          <span className="drawer-badge-count" aria-hidden="true">
            {badge}
          </span>
          <span className="drawer-badge-text">{t('drawerBadge', { count: badge })}</span>
        </span>
      )}
    </button>
  );
}

/** Whether the layout is the narrow one (the drawer), matching the breakpoint in app.css. */
export function isNarrow(): boolean {
  return globalThis.matchMedia?.(NARROW_QUERY).matches ?? false;
}

/** Keep equal to the @media rule for the drawer in app.css. */
export const NARROW_QUERY = '(max-width: 1100px)';
