import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { LEAST_CONVENIENT } from '../../main/simulator/reading.ts';
import { startHarness, type Harness, type HarnessOptions } from '../harness/server.ts';
import type { Preferences } from '../../common/settings.ts';
import type { SqliteRegister } from '../../main/store/sqlite-register.ts';

export const CONGEDO = 'Indennità per congedo parentale';
export const CONGEDO_HASH = '8a7c8386fff43d28182cfa2ad24a3532';

/** Each test's app log and what its clerk typed, for the scan of every log line (log-scan.teardown.ts). */
export const E2E_LOGS = join(import.meta.dirname, '..', '..', 'test-results', 'e2e-logs');

/** Sixteen characters shaped like a codice fiscale (omocodia included). */
export const CF_SHAPE =
  /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** Where the screenshots of the main screens go (kept as CI artifacts). */
export const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screens');

/**
 * An office that went through the first start, at a counter that has sent before: its name and
 * prefix, 5 years of retention, its clerk's name (so the first send does not ask it). Every test
 * starts there but those of the first start itself (`firstStart: true`).
 */
export const SET_UP: Partial<Preferences> = {
  officeName: 'Patronato di prova',
  operatorName: 'Laura',
  officeAddress: 'Via Roma 1, Roma',
  numberPrefix: 'PRV',
  retentionDays: 1825,
  retentionAsked: true,
};

type Fixtures = {
  harnessOptions: HarnessOptions;
  /** The app as on a new PC: the first start asks the office's data. */
  firstStart: boolean;
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
  firstStart: [false, { option: true }],
  harness: async ({ harnessOptions, firstStart }, use, testInfo) => {
    // Every test's log is kept, with what the clerk typed: log-scan.teardown.ts looks for it there.
    const dir = join(E2E_LOGS, testInfo.testId);
    const clients = new Map<string, { nome: string | null; cognome: string | null; cf: string | null }>();
    const cfs = new Set<string>();
    let harness: Harness | null = null;
    harness = await startHarness({
      ...(firstStart ? {} : { preferences: SET_UP }),
      ...harnessOptions,
      logDir: join(dir, 'logs'),
      observe: (channel, args, outcome) => {
        if (channel !== 'drafts.update' || !outcome.ok || !Array.isArray(args)) return;
        const [id, patch] = args as [string, { fields?: Record<string, string> }];
        for (const value of Object.values(patch?.fields ?? {})) {
          const cf = value.replace(/\s+/g, '').toUpperCase();
          if (CF_SHAPE.test(cf)) cfs.add(cf);
        }
        // Read at once, as the call ended (the log scan needs what was typed, not what is left).
        const row = (harness?.app.internals.store as SqliteRegister | undefined)?.sync.requests.get(id);
        if (row) clients.set(id, { nome: row.clientNome, cognome: row.clientCognome, cf: row.clientCf });
      },
    });
    await use(harness);
    await harness.close();
    for (const client of clients.values()) if (client.cf) cfs.add(client.cf);
    const names = [...clients.values()].flatMap((c) => [c.nome, c.cognome]).filter((n): n is string => !!n);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'typed.json'), JSON.stringify({ cfs: [...cfs], names: [...new Set(names)] }));
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
