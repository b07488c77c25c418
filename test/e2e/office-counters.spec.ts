import type { TestInfo } from '@playwright/test';
import { join } from 'node:path';
import { openPool, type OfficeDbConfig } from '../../main/db/postgres/connection.ts';
import { prepareRegister } from '../../main/db/postgres/prepare.ts';
import { LEAST_CONVENIENT } from '../../main/simulator/reading.ts';
import { provaOf } from '../../main/simulator/prova.ts';
import type { Register } from '../../main/store/port.ts';
import { PgRegister } from '../../main/store/postgres/register.ts';
import { MARIO, congedoDraft, sendDraft } from '../support/drafts.ts';
import { createOfficeRoles, createRegisterDatabase } from '../support/office-roles.ts';
import { startPostgres, type PostgresCluster } from '../support/postgres-cluster.ts';
import { startHarness, type Harness } from '../harness/server.ts';
import { E2E_LOGS, expect, screenshot, SET_UP, test } from './fixtures.ts';
import { slot } from './helpers.ts';

const CF = MARIO.$4;
const NOT_GRANTED =
  "Questo sportello non ha ancora l'accesso ai documenti conservati: chiedete a un collega di concederlo da Impostazioni → Ufficio.";

/*
 * Two counters of one office on one PostgreSQL register (store/postgres/register.ts), each a
 * harness of its own (its own main services, files and archive) talking to the same Prova: a
 * request sent at one counter shows in the other counter's Pratiche within a second (LISTEN/NOTIFY,
 * requests/office-link.ts), and then follows the office's one tracker.
 */

let cluster: PostgresCluster | null = null;
let office: OfficeDbConfig | null = null;

const officeRegister = (now: () => number, counter: () => string): Register => {
  if (!office) throw new Error('the office database is not ready');
  return new PgRegister(openPool(office, { onIdleError: () => {} }), now, counter);
};

test.beforeAll(async () => {
  cluster = await startPostgres();
  // As an office runs: prepared by its owner role, the counters on theirs (db/postgres/privileges.ts).
  const roles = await createOfficeRoles(cluster);
  const name = await createRegisterDatabase(cluster, roles);
  await prepareRegister(cluster.config(name, roles.owner), roles.counter.user);
  office = cluster.config(name, roles.counter);
});

test.afterAll(async () => {
  await cluster?.stop();
});

const LIFECYCLE = { toDatiDisponibili: 2_000, toEvasa: 2_000 };

/**
 * The office's second counter: a harness of its own on the same register, past its first start,
 * talking to the first counter's Prova (one office, one Openapi account).
 */
function secondCounter(first: Harness, testInfo: TestInfo, durations = LIFECYCLE): Promise<Harness> {
  return startHarness({
    preferences: SET_UP,
    durations,
    reading: LEAST_CONVENIENT,
    logDir: join(E2E_LOGS, `${testInfo.testId}-2`, 'logs'),
    config: { settleMs: 300, register: officeRegister, prova: async () => provaOf(first.simulator) },
  });
}

test.use({
  harnessOptions: {
    durations: LIFECYCLE,
    reading: LEAST_CONVENIENT,
    config: { settleMs: 300, register: officeRegister },
  },
});

test('two counters, one register: a request sent at one shows at the other within a second', async ({
  app,
  harness,
  browser,
}, testInfo) => {
  await harness.app.handlers['settings.update']({ counterName: 'Sportello 1', operatorName: 'Anna' });
  let second: Harness | null = null;
  try {
    second = await secondCounter(harness, testInfo);
    await second.app.handlers['settings.update']({ counterName: 'Sportello 2', operatorName: 'Luca' });
    const other = await browser.newPage();
    await other.goto(`${second.url}/#/pratiche`);
    await expect(other.getByRole('heading', { name: 'Pratiche' })).toBeVisible();
    await expect(other.locator('[data-request-id]')).toHaveCount(0);

    // Counter 1 sends a request; counter 2's list shows it within a second, without a reload.
    const id = await congedoDraft(harness.app);
    await sendDraft(harness.app, id);
    const row = other.locator(`[data-request-id="${id}"]`);
    await expect(row).toBeVisible({ timeout: 1_000 });
    await expect(row).toContainText('Sportello 1');

    // The office's one tracker (whichever counter leads) moves it on; both counters see it done.
    await expect(row).toContainText(/Completata/, { timeout: 20_000 });
    await app.goto(`${harness.url}/#/pratiche`);
    await expect(app.locator(`[data-request-id="${id}"]`)).toContainText(/Completata/);
    expect([harness.app.internals.leading(), second.app.internals.leading()].filter(Boolean)).toHaveLength(1);
    await screenshot(other, 'ufficio-secondo-sportello');
    await other.close();
  } finally {
    await second?.close();
  }
});

test('documents on file kept at one counter are used at the other once a clerk there grants it, fingerprints compared', async ({
  app,
  harness,
  browser,
}, testInfo) => {
  await harness.app.handlers['settings.update']({ counterName: 'Sportello 1', operatorName: 'Anna' });
  let second: Harness | null = null;
  try {
    second = await secondCounter(harness, testInfo);
    await second.app.handlers['settings.update']({ counterName: 'Sportello 2', operatorName: 'Luca' });
    // An earlier visit at counter 1: the client agreed, the ID and CF card were kept.
    const earlier = await congedoDraft(harness.app);
    await harness.app.handlers['clients.consent'](CF, null, earlier);
    await sendDraft(harness.app, earlier);

    // Counter 2 sees they exist, and says it cannot open them yet, and why.
    const other = await browser.newPage();
    await other.goto(`${second.url}/#/clienti/${CF}`);
    const files = other.getByTestId('client-files');
    await expect(files).toContainText('Tessera del codice fiscale');
    await expect(files.getByTestId('files-not-granted')).toHaveText(NOT_GRANTED);

    // Its Impostazioni → Ufficio: its fingerprint, to read out to the colleague.
    await other.keyboard.press('Alt+4');
    const own = other.getByTestId('documents-access');
    await expect(own.getByTestId('documents-state')).toHaveText(NOT_GRANTED);
    const print = (await own.getByTestId('own-fingerprint').textContent())!;
    expect(print).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){4}$/);

    // Counter 1 lists counter 2 with the same fingerprint; its clerk grants, main asks to confirm.
    harness.ports.dialogs.answer({ confirm: true });
    await app.keyboard.press('Alt+4');
    const access = app.getByTestId('documents-access');
    const row = access.getByTestId('counter-access').filter({ hasText: 'Sportello 2' });
    await expect(row).toContainText(print);
    await expect(row).toContainText('In attesa');
    await row.scrollIntoViewIfNeeded();
    await screenshot(app, 'ufficio-accesso-documenti');
    await row.getByRole('button', { name: 'Concedi l’accesso…' }).click();
    await expect(row).toContainText('Ha accesso');
    await expect(
      app.getByText('Accesso ai documenti conservati concesso allo sportello «Sportello 2».'),
    ).toBeVisible();
    const asked = harness.ports.dialogs.asked.at(-1);
    expect(asked?.message).toContain('«Sportello 2»');
    expect(asked?.detail).toContain(print);

    // Counter 2, for the client's next request, takes them with one click.
    await other.goto(`${second.url}/#/clienti/${CF}`);
    await expect(other.getByTestId('files-not-granted')).toHaveCount(0);
    await other.getByRole('button', { name: 'Nuova pratica per questo cliente' }).click();
    const search = other.getByRole('textbox', { name: /Cercate un servizio/ });
    await search.fill('riscatto leva');
    await search.press('Enter');
    const kept = other.getByTestId('files-on-file');
    await kept.getByRole('button', { name: 'Usa i documenti conservati' }).click();
    await expect(slot(other, '$5', 0)).toHaveAttribute('data-filled', 'true');
    await expect(slot(other, '$6', 0)).toHaveAttribute('data-filled', 'true');
    await screenshot(other, 'documenti-conservati-altro-sportello');
    await other.close();
  } finally {
    await second?.close();
  }
});

test.describe('no change but the one sent', () => {
  // The service moves nothing on for minutes: the only way counter 2 can learn of the request is
  // reading its list afresh.
  const QUIET = { toDatiDisponibili: 300_000, toEvasa: 300_000 };
  test.use({
    harnessOptions: {
      durations: QUIET,
      reading: LEAST_CONVENIENT,
      config: { settleMs: 300, register: officeRegister },
    },
  });

  test('a counter whose listening broke reads its list afresh when it is back: nothing told meanwhile is missed', async ({
    harness,
    browser,
  }, testInfo) => {
    let second: Harness | null = null;
    try {
      second = await secondCounter(harness, testInfo, QUIET);
      const staleAt: number[] = [];
      second.app.events.subscribe((event) => {
        if (event === 'requestsStale') staleAt.push(Date.now());
      });
      const other = await browser.newPage();
      await other.goto(`${second.url}/#/pratiche`);
      await expect(other.getByRole('heading', { name: 'Pratiche' })).toBeVisible();

      // The server ends the counters' own sessions (the listening among them): a network blip. They
      // listen again after their retry time (5 s), so the notice of what follows is lost.
      const ended = await cluster!.sql(
        "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'Sportello (%'",
        [office!.database],
        office!.database,
      );
      expect(ended.length).toBeGreaterThanOrEqual(2);
      const id = await congedoDraft(harness.app);
      await sendDraft(harness.app, id);
      const sentAt = Date.now();

      // Counter 2 shows it all the same, once it listens again: its list was read afresh.
      await expect(other.locator(`[data-request-id="${id}"]`)).toBeVisible({ timeout: 15_000 });
      expect(staleAt.some((at) => at >= sentAt)).toBe(true);
      await other.close();
    } finally {
      await second?.close();
    }
  });
});
