import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { LEAST_CONVENIENT } from '../../main/simulator/reading.ts';
import { startHarness, type Harness, type HarnessOptions } from '../harness/server.ts';

export const CONGEDO = 'Indennità per congedo parentale';
export const CONGEDO_HASH = '8a7c8386fff43d28182cfa2ad24a3532';

/** Where the screenshots of the main screens go (kept as CI artifacts). */
export const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

type Fixtures = {
  harnessOptions: HarnessOptions;
  harness: Harness;
  app: Page;
};

/**
 * Each test gets its own harness: the built renderer in Debian's Chromium, the real main services,
 * a fresh SQLite file and archive, and the Prova simulator (seconds per lifecycle step) in the
 * least convenient reading of what the spec leaves open (charged at creation, nothing echoed,
 * every option listed in answers, no `state`, …): the journeys must pass under it.
 */
export const test = base.extend<Fixtures>({
  harnessOptions: [
    {
      durations: { toDatiDisponibili: 2_000, toEvasa: 2_000 },
      saneDevices: ['test'],
      reading: LEAST_CONVENIENT,
      // An uncertain POST settles in the simulator at once: no need to wait 20 s at the counter.
      config: { settleMs: 300 },
    },
    { option: true },
  ],
  harness: async ({ harnessOptions }, use) => {
    const harness = await startHarness(harnessOptions);
    await use(harness);
    await harness.close();
  },
  app: async ({ page, harness }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`http ${response.status()}: ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(harness.url);
    await expect(page.getByTestId('env-badge')).toBeVisible();
    await use(page);
    // A CSP violation or an uncaught error is a defect even when the journey passed.
    expect(problems.filter((p) => !/favicon/.test(p))).toEqual([]);
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
