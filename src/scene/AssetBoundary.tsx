import { Component, type ReactNode } from 'react';
import i18next from 'i18next';
import type { Asset } from '../twin/schema';
import { useApp } from '../store/app';
import { AssetPlaceholder } from './AssetModel';

/** Catches a failed model load so one broken file never blanks the rest of the scene. */
export class AssetBoundary extends Component<{ asset: Asset; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const { asset } = this.props;
    useApp.setState((s) => ({
      // Said in the language of the moment it failed (a problem notice, kept as text in the store).
      modelErrors: { ...s.modelErrors, [asset.id]: i18next.t('scene:modelFailed', { model: asset.model, reason }) },
    }));
  }

  override render(): ReactNode {
    return this.state.failed ? <AssetPlaceholder asset={this.props.asset} /> : this.props.children;
  }
}
