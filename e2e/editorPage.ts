import type { Page } from '@playwright/test';
import { screenPosition } from './helpers';

/** Opens one of the editor's sections (by its heading) unless it is open already. */
export async function openSection(page: Page, name: RegExp): Promise<void> {
  const heading = page.locator('.editor-section h2 button', { hasText: name });
  if ((await heading.getAttribute('aria-expanded')) !== 'true') await heading.click();
}

/** The preview's scene is up with every asset of the draft in it. */
export async function previewReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as unknown as { twinview?: { ready(): boolean } }).twinview?.ready() === true,
  );
}

/** The canvas point of a part, in page coordinates (for a click on it). */
export async function pagePoint(page: Page, path: string): Promise<{ x: number; y: number }> {
  const p = await screenPosition(page, path);
  if (!p) throw new Error(`${path} is not on screen`);
  const box = await page.getByTestId('scene').locator('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: box.x + p.x, y: box.y + p.y };
}
