import type { Page } from '@playwright/test';
import type { Harness } from '../harness/server.ts';
import { congedoDraft, MARIO, sendDraft } from '../support/drafts.ts';
import { CONGEDO, expect, screenshot, test } from './fixtures.ts';

/*
 * The counter's screens on a small window and at 200 % zoom (a 1366×768 screen zoomed in shows
 * 683×384 CSS pixels): nothing wider than the window, and Pratiche's list shows its rows. The
 * same at 1280×720, a common laptop.
 */

/** Three sent requests of other clients, and a draft of Mario Rossi's. */
async function office(harness: Harness): Promise<{ sent: string; draft: string }> {
  let sent = '';
  for (const [nome, cognome] of [
    ['Anna', 'Bianchi'],
    ['Luca', 'Verdi'],
    ['Mario', 'Rossi'],
  ] as const) {
    sent = await congedoDraft(harness.app, { fields: { $0: nome, $1: cognome } });
    await sendDraft(harness.app, sent);
  }
  const draft = await congedoDraft(harness.app, { fields: MARIO, documents: {} });
  return { sent, draft };
}

/** The page is no wider than the window: no sideways scrolling. */
async function fitsTheWindow(page: Page, screen: string): Promise<void> {
  // Mantine settles its transitions first.
  await page.waitForTimeout(300);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll, `${screen}: ${scroll} px wide in a ${inner} px window`).toBeLessThanOrEqual(inner);
}

/** Pratiche's virtual list is drawn with height, and its first rows are on screen. */
async function listShowsRows(page: Page, rows: number): Promise<void> {
  await expect(page.getByTestId('requests-count')).toHaveText(`${rows} pratiche`);
  const scroller = page.getByTestId('requests-scroller');
  const first = page.locator('[data-request-id]').first();
  await first.scrollIntoViewIfNeeded();
  await expect(first).toBeVisible();
  const box = (await scroller.boundingBox())!;
  expect(box.height, 'the list’s body has a height').toBeGreaterThan(100);
  const row = (await first.boundingBox())!;
  // The row lies inside the list's body, not cut off by it.
  expect(row.y).toBeGreaterThanOrEqual(box.y - 1);
  expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height + 1);
  expect(row.height).toBeGreaterThan(30);
}

async function everyScreen(page: Page, harness: Harness, name: string): Promise<void> {
  const { sent, draft } = await office(harness);
  await page.reload();

  await expect(page.getByRole('heading', { name: 'Sportello di oggi' })).toBeVisible();
  await expect(page.getByTestId('home-drafts')).toContainText('Rossi Mario');
  await fitsTheWindow(page, 'Home');
  await screenshot(page, `${name}-home`);

  await page.getByRole('link', { name: 'Pratiche' }).click();
  await expect(page.getByRole('heading', { name: 'Pratiche' })).toBeVisible();
  await listShowsRows(page, 4);
  await fitsTheWindow(page, 'Pratiche');
  await screenshot(page, `${name}-pratiche`);

  await page.evaluate((id) => (window.location.hash = `#/pratiche/${id}`), sent);
  await expect(page.getByTestId('pratica-number')).toContainText('PRV-');
  await fitsTheWindow(page, 'Pratica');
  await screenshot(page, `${name}-pratica`);

  await page.evaluate((id) => (window.location.hash = `#/nuova/${id}`), draft);
  await expect(page.getByRole('heading', { name: CONGEDO })).toBeVisible();
  await fitsTheWindow(page, 'Modulo');
  await screenshot(page, `${name}-modulo`);

  await page.getByRole('link', { name: 'Impostazioni' }).click();
  await expect(page.getByRole('heading', { name: 'Impostazioni' })).toBeVisible();
  await fitsTheWindow(page, 'Impostazioni');
  await screenshot(page, `${name}-impostazioni`);
}

test.describe('at 200 % zoom (683×384 CSS pixels)', () => {
  test.use({ viewport: { width: 683, height: 384 }, deviceScaleFactor: 2 });

  test('every screen fits the window, and Pratiche shows its rows', async ({ app, harness }) => {
    await everyScreen(app, harness, 'zoom-200');
  });
});

test.describe('on a 1280×720 window', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('every screen fits the window, and Pratiche shows its rows', async ({ app, harness }) => {
    await everyScreen(app, harness, '1280x720');
  });
});
