import { expect, test, type Page } from '@playwright/test';
import { connectPublisher, openTwin, screenBounds, screenPosition } from './helpers';

// The operator layout on a touch tablet (1024 x 768) and a phone in landscape (844 x 390): below the
// 1100 px breakpoint the side panels are a drawer opened from the top bar (docs/operator.md).

/** Where a part's centre is on the page (CSS px), for a tap. */
async function partOnPage(page: Page, path: string): Promise<{ x: number; y: number }> {
  const at = await screenPosition(page, path);
  expect(at).not.toBeNull();
  const box = await page.getByTestId('scene').locator('canvas').boundingBox();
  return { x: box!.x + at!.x, y: box!.y + at!.y };
}

/** Touch points through the DevTools protocol: Playwright's touchscreen taps, but does not drag or pinch. */
async function touchGesture(page: Page, from: { x: number; y: number }[], to: { x: number; y: number }[]) {
  const cdp = await page.context().newCDPSession(page);
  const points = (ps: { x: number; y: number }[]) => ps.map((p, id) => ({ x: p.x, y: p.y, id }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(from) });
  for (let i = 1; i <= 10; i++) {
    const step = from.map((p, k) => ({ x: p.x + ((to[k].x - p.x) * i) / 10, y: p.y + ((to[k].y - p.y) * i) / 10 }));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(step) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test.describe('tablet, 1024 x 768 with touch', () => {
  test.use({ viewport: { width: 1024, height: 768 }, hasTouch: true });

  test('the panels are a closed drawer; a tap on a part selects it and shows it in the inspector', async ({ page }) => {
    await openTwin(page, 'pump-station');
    const toggle = page.getByTestId('drawer-toggle');
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('side-drawer')).toBeHidden();

    const motor = await partOnPage(page, 'station/Pump2_Motor');
    await page.touchscreen.tap(motor.x, motor.y);
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toHaveAttribute('data-selected', 'station/Pump2_Motor');
    await expect(inspector).toBeInViewport();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });

  test('the alarm drawer opens and closes by tap and by keyboard', async ({ page }) => {
    await openTwin(page, 'pump-station');
    const toggle = page.getByTestId('drawer-toggle');
    const drawer = page.getByTestId('side-drawer');
    const alarms = page.getByTestId('alarm-list');

    await toggle.tap();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(alarms).toBeInViewport();
    await toggle.tap();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(drawer).toBeHidden();

    // Keyboard: Enter opens it with focus inside, Escape closes it and gives focus back to the button.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(alarms).toBeInViewport();
    await expect(drawer).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(drawer.locator(':focus')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(toggle).toBeFocused();
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });

  test('one finger orbits the scene and two fingers pinch to zoom', async ({ page }) => {
    await openTwin(page, 'pump-station');
    const box = (await page.getByTestId('scene').locator('canvas').boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const before = (await screenBounds(page, 'station/Tank1'))!;
    expect(before).not.toBeNull();

    // A horizontal one-finger drag turns the camera round the target: the tank moves across the screen.
    await touchGesture(page, [centre], [{ x: centre.x + 200, y: centre.y }]);
    await expect
      .poll(async () => {
        const now = await screenBounds(page, 'station/Tank1');
        return now ? Math.abs(now.left - before.left) : Infinity;
      })
      .toBeGreaterThan(20);

    // Fingers apart: the camera comes closer, so the tank is drawn larger.
    const orbited = (await screenBounds(page, 'station/Tank1'))!;
    const size = (b: { left: number; right: number }) => b.right - b.left;
    await touchGesture(
      page,
      [
        { x: centre.x - 40, y: centre.y },
        { x: centre.x + 40, y: centre.y },
      ],
      [
        { x: centre.x - 200, y: centre.y },
        { x: centre.x + 200, y: centre.y },
      ],
    );
    await expect
      .poll(async () => {
        const now = await screenBounds(page, 'station/Tank1');
        return now ? size(now) / size(orbited) : Infinity;
      })
      .toBeGreaterThan(1.2);
  });
});

test.describe('phone in landscape, 844 x 390 with touch', () => {
  test.use({ viewport: { width: 844, height: 390 }, hasTouch: true });

  test('nothing overflows sideways, with the drawer closed or open', async ({ page }) => {
    await openTwin(page, 'pump-station');
    /** How far the page, the top bar's items or the open drawer reach past the window's right edge. */
    const overflow = () =>
      page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const edges = Array.from(document.querySelectorAll('.topbar > *, .side.open, .side.open > *')).map(
          (el) => el.getBoundingClientRect().right,
        );
        const side = document.querySelector('.side.open');
        return Math.max(
          document.documentElement.scrollWidth - width,
          document.body.scrollWidth - width,
          ...edges.map((r) => r - width),
          side ? side.scrollWidth - side.clientWidth : 0,
        );
      });
    await expect(page.getByTestId('drawer-toggle')).toBeInViewport();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('drawer-toggle').tap();
    await expect(page.getByTestId('alarm-list')).toBeInViewport();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});

/**
 * What is wrong with the top bar as drawn: an item past the window's edge, an item squeezed to nothing,
 * two items drawn over each other, or the connection's state cut short.
 */
async function topBarProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    const items = Array.from(document.querySelectorAll<HTMLElement>('.topbar > *')).map((el) => ({
      name: el.dataset.testid ?? el.className ?? el.tagName,
      box: el.getBoundingClientRect(),
    }));
    for (const { name, box } of items) {
      if (box.right > width + 0.5 || box.left < -0.5) problems.push(`${name} reaches past the window`);
      if (box.width < 20) problems.push(`${name} is ${box.width.toFixed(0)} px wide`);
    }
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i].box;
        const b = items[j].box;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > 1 && y > 1) problems.push(`${items[i].name} and ${items[j].name} overlap`);
      }
    const label = document.querySelector<HTMLElement>('.connection-label')!;
    const state = label.getBoundingClientRect();
    const holder = label.parentElement!.getBoundingClientRect();
    if (state.right > holder.right + 0.5 || label.scrollWidth > label.clientWidth + 1)
      problems.push(`the connection's state is cut short`);
    if (document.documentElement.scrollWidth > width) problems.push('the page scrolls sideways');
    return problems;
  });
}

for (const viewport of [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
  { width: 600, height: 960 },
  { width: 768, height: 1024 },
  { width: 844, height: 390 },
  { width: 1024, height: 768 },
]) {
  test.describe(`top bar at ${viewport.width} x ${viewport.height}`, () => {
    test.use({ viewport, hasTouch: true });

    test('the title, the views, the connection, the time, the language and the panels all show, none over another', async ({
      page,
    }) => {
      await openTwin(page, 'pump-station');
      await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'online');
      await expect(page.getByTestId('connection')).toContainText('Online');
      await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
      await expect(page.getByRole('button', { name: 'Overview' })).toBeInViewport();
      await expect(page.getByLabel('Language')).toBeInViewport();
      await expect(page.getByRole('button', { name: 'Alarms & panels' })).toBeInViewport();
      expect(await topBarProblems(page)).toEqual([]);
      // The drawer opens from the button however short its label is, and shows the alarms.
      await page.getByTestId('drawer-toggle').tap();
      await expect(page.getByTestId('alarm-list')).toBeInViewport();
    });
  });
}

test.describe('a phone upright, 360 x 740: an alarm in the drawer', () => {
  test.use({ viewport: { width: 360, height: 740 }, hasTouch: true });

  test('fits the drawer, its Acknowledge button inside it and working', async ({ page }) => {
    // alarm-lab (e2e/twins/alarm-lab): rule lab.hot, "lab.temp > 50", high.
    const publisher = await connectPublisher();
    try {
      await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
      await openTwin(page, 'alarm-lab');
      await publisher.publishAsync('alarmlab/temp', '60', { qos: 1 });
      await page.getByTestId('drawer-toggle').tap();
      const alarm = page.getByTestId('alarm-list').locator('[data-alarm-id="lab.hot"]');
      await expect(alarm).toHaveAttribute('data-state', 'active');
      const fit = await page.evaluate(() => {
        const side = document.querySelector<HTMLElement>('.side.open')!;
        return { scroll: side.scrollWidth, client: side.clientWidth, right: side.getBoundingClientRect().right };
      });
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      const ack = alarm.getByRole('button', { name: /Acknowledge/ });
      const box = (await ack.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(fit.right);
      await ack.tap();
      await expect(alarm).toHaveAttribute('data-state', 'acknowledged');
    } finally {
      await publisher.publishAsync('alarmlab/temp', '20', { qos: 1 });
      await publisher.endAsync();
    }
  });
});
