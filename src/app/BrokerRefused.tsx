import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';

/**
 * Says that the link's ?broker= was not used (not a broker this deployment allows) and which one is,
 * so a crafted link cannot silently differ from what the operator expects. URLs are rendered as text.
 */
export function BrokerRefused({ refused, using }: { refused: string; using: string }) {
  const { t } = useTranslation('problems');
  const [open, setOpen] = useState(true);
  if (!open) return null;
  return (
    <div
      role="alert"
      data-testid="broker-refused"
      // Inline style properties are set through the CSSOM, which a strict style-src allows.
      style={{
        position: 'fixed',
        left: '50%',
        bottom: 16,
        transform: 'translateX(-50%)',
        zIndex: 20,
        maxWidth: 'min(720px, 90vw)',
        padding: '10px 14px',
        background: '#fff4e5',
        color: '#5c3200',
        border: '1px solid #e0a050',
        borderRadius: 6,
        boxShadow: '0 2px 8px rgba(0,0,0,0.2)',
        overflowWrap: 'anywhere',
      }}
    >
      {/* The URLs are the components' own children (text), never parsed from the translation. */}
      <Trans
        t={t}
        i18nKey="brokerRefused"
        components={[<code key="refused">{refused}</code>, <code key="using">{using}</code>]}
      />{' '}
      <button type="button" onClick={() => setOpen(false)}>
        {t('dismiss')}
      </button>
    </div>
  );
}
