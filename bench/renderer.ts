import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { SqliteRegister } from '../main/store/sqlite-register.ts';
import type { Store } from '../main/store/store.ts';
import { startFloor } from './stack-floor.ts';
import { median, prng, remoteIdOf, requestRow, type Figure } from './support.ts';

/** What the built renderer weighs on the wire (gzip), from out/renderer after `npm run build`. */
function bundleFigures(outDir: string): Figure[] | string {
  const assets = join(outDir, 'assets');
  const index = join(outDir, 'index.html');
  if (!existsSync(index) || !existsSync(assets)) return 'build first (npm run build)';
  const html = readFileSync(index, 'utf8');
  // The initial load: what index.html links to (early.js, the entry script, its preloads, the CSS).
  const linked = new Set([...html.matchAll(/(?:src|href)="\.\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!));
  const files = [
    ...readdirSync(assets)
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => `assets/${f}`),
    ...(existsSync(join(outDir, 'early.js')) ? ['early.js'] : []),
  ];
  const gz = (f: string) => gzipSync(readFileSync(join(outDir, f)), { level: 9 }).length / 1024;
  const sum = (list: string[]) => list.reduce((n, f) => n + gz(f), 0);
  const initial = files.filter((f) => linked.has(f));
  const value = sum(initial);
  return [
    {
      section: 'renderer (out/renderer)',
      name: 'initial JS+CSS, gzip',
      value,
      unit: 'KB',
      baseline: { name: 'all chunks', value: sum(files) },
      target: { text: '≤ 300 KB', pass: value <= 300 },
    },
  ];
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SECTION = 'renderer (Chromium, harness)';
const HOME_HEADING = 'Sportello di oggi';

/** 10 000 requests of the Prova environment, pending or done, over a year: what Pratiche lists. */
export function seed(store: Store, count: number): { newest: string; oldest: string } {
  const random = prng(5);
  const now = Date.now();
  const surnames = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'De Luca'];
  const names = ['Mario', 'Giulia', 'Luca', 'Anna', 'Marco', 'Chiara'];
  const services = ['Indennità per congedo parentale', 'ISEE ordinario', 'NASPI', 'Modello 730'];
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ids: string[] = [];
  store.transaction(() => {
    for (let i = 0; i < count; i++) {
      const done = random() < 0.85;
      // Newest first: row i was created i minutes before now.
      const createdAt = now - i * 60_000;
      const cognome = pick(surnames);
      const nome = pick(names);
      const id = crypto.randomUUID();
      ids.push(id);
      store.requests.insert(
        requestRow({
          id,
          environment: 'prova',
          remoteId: remoteIdOf(i + 1),
          serviceName: pick(services),
          clientCognome: cognome,
          clientNome: nome,
          clientCf: `${cognome.replace(/ /g, '').slice(0, 3)}${nome.slice(0, 3)}85T10A562S`.toUpperCase(),
          status: done ? 'done' : 'pending',
          remoteState: done ? 'Visura evasa' : 'In erogazione',
          createdAt,
          updatedAt: createdAt,
          submittedAt: createdAt,
          completedAt: done ? createdAt + 60_000 : null,
          // Not due: the tracker must not poll the simulator for made-up remote ids meanwhile.
          nextPollAt: done ? null : now + 365 * 86_400_000,
          documentsState: done ? 'ready' : 'none',
        }),
      );
    }
  });
  return { newest: ids[0]!, oldest: ids.at(-1)! };
}

type Probe = { heading: string } | { row: string | null };

/** ms from navigation start until the probe's element is visible (checked every animation frame). */
async function timeTo(page: Page, url: string, probe: Probe): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (p: Probe) => {
      const found =
        'heading' in p
          ? [...document.querySelectorAll('h1, h2, h3')].find((h) => h.textContent === p.heading)
          : document.querySelector(p.row ? `[data-request-id="${p.row}"]` : '[data-request-id]');
      return found?.checkVisibility() ? performance.now() : false;
    },
    probe,
    { polling: 'raf', timeout: 30_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * The same, on a warm start: the page was opened twice before in this browser, so V8's code cache
 * has the compiled scripts (the app registers app:// with `codeCache`: every start after the first
 * ones is this one).
 */
async function warmTimeTo(page: Page, url: string, probe: Probe): Promise<number> {
  for (let i = 0; i < 2; i++) {
    await timeTo(page, url, probe);
    // Chromium writes the code cache after the scripts ran: let it.
    await page.waitForTimeout(300);
  }
  return timeTo(page, url, probe);
}

/** ms from a click on «Pratiche» in the menu, Home settled (its idle loading done), to the first row. */
async function homeToPratiche(page: Page, url: string): Promise<number> {
  await timeTo(page, url, { heading: HOME_HEADING });
  await page.waitForTimeout(2_500);
  const started = await page.evaluate(() => {
    const link = [...document.querySelectorAll('a')].find((a) => a.getAttribute('href') === '#/pratiche');
    if (!link) throw new Error('no «Pratiche» in the menu');
    const at = performance.now();
    link.click();
    return at;
  });
  const handle = await page.waitForFunction(
    () => (document.querySelector('[data-request-id]')?.checkVisibility() ? performance.now() : false),
    null,
    { polling: 'raf', timeout: 30_000 },
  );
  return ((await handle.jsonValue()) as number) - started;
}

/** ms from the first scroll until the oldest row is on screen (the list fetches 200 rows a page). */
async function scrollToBottom(page: Page, oldest: string): Promise<number> {
  return page.evaluate(async (id) => {
    const scroller = document.querySelector('[data-testid="requests-scroller"]');
    if (!scroller) throw new Error(`no list at ${location.href}: ${document.body.innerText.slice(0, 300)}`);
    const started = performance.now();
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    while (!document.querySelector(`[data-request-id="${id}"]`)?.checkVisibility()) {
      if (performance.now() - started > 60_000) throw new Error('the last row never appeared');
      scroller.scrollTop = scroller.scrollHeight;
      await frame();
    }
    return performance.now() - started;
  }, oldest);
}

/**
 * Time to first render in Chromium through the harness (the built UI, the real main services):
 * Home against the floor of its stack (bench/stack-floor.ts) measured in turns with it, and
 * Pratiche with 10 000 requests in the log (first row, then scrolled to the oldest) against Home.
 * Each measure in a fresh browser context: a cold start (nothing cached), a warm one (the same page
 * opened twice before: V8's code cache), and Home → Pratiche by the menu. Medians.
 */
async function renderFigures(count = 10_000): Promise<Figure[]> {
  const { chromium } = await import('playwright-core');
  const { startHarness } = await import('../test/harness/server.ts');
  // An office past its first start, as the clerk's is every day (a new PC asks its data instead).
  const harness = await startHarness({
    preferences: { officeName: 'Patronato di prova', numberPrefix: 'PRV', retentionAsked: true },
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const times = async (runs: number, measure: (page: Page) => Promise<number>) => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        try {
          out.push(await measure(await context.newPage()));
        } finally {
          await context.close();
        }
      }
      return out;
    };
    const blankUrl = `data:text/html,<h1>${encodeURIComponent(HOME_HEADING)}</h1>`;
    const blank = median(await times(9, (page) => timeTo(page, blankUrl, { heading: HOME_HEADING })));
    const homeUrl = `${harness.url}/#/`;
    const floor = await startFloor();
    let reactOnly: number;
    let stack: number;
    let warmStack: number;
    let home: number;
    let warmHome: number;
    try {
      const floorProbe = (page: Page, name: 'react' | 'stack') =>
        timeTo(page, floor.url(name), { heading: HOME_HEADING });
      reactOnly = median(await times(9, (page) => floorProbe(page, 'react')));
      // The floor and Home taken in turns: the machine's moods weigh on both alike.
      const stacks: number[] = [];
      const homes: number[] = [];
      for (let i = 0; i < 9; i++) {
        stacks.push(...(await times(1, (page) => floorProbe(page, 'stack'))));
        homes.push(...(await times(1, (page) => timeTo(page, homeUrl, { heading: HOME_HEADING }))));
      }
      stack = median(stacks);
      home = median(homes);
      const warmStacks: number[] = [];
      const warmHomes: number[] = [];
      for (let i = 0; i < 7; i++) {
        warmStacks.push(
          ...(await times(1, (page) => warmTimeTo(page, floor.url('stack'), { heading: HOME_HEADING }))),
        );
        warmHomes.push(...(await times(1, (page) => warmTimeTo(page, homeUrl, { heading: HOME_HEADING }))));
      }
      warmStack = median(warmStacks);
      warmHome = median(warmHomes);
    } finally {
      await floor.close();
    }
    const { oldest } = seed((harness.app.internals.store as SqliteRegister).sync, count);
    const pratiche = `${harness.url}/#/pratiche`;
    const firstRow = median(await times(9, (page) => timeTo(page, pratiche, { row: null })));
    const warmFirstRow = median(await times(7, (page) => warmTimeTo(page, pratiche, { row: null })));
    const fromHome = median(await times(5, (page) => homeToPratiche(page, homeUrl)));
    const bottom = median(
      await times(3, async (page) => {
        await timeTo(page, pratiche, { row: null });
        return scrollToBottom(page, oldest);
      }),
    );
    const k = `${(count / 1000).toFixed(0)}k`;
    const within = (value: number, of: number, ratio: number, name: string) => ({
      text: `≤ ${ratio}× ${name}`,
      pass: value <= of * ratio,
    });
    const staticPage = { name: 'static page, same heading', value: blank };
    return [
      {
        section: SECTION,
        name: 'Floor: React alone, one heading (no app code)',
        value: reactOnly,
        unit: 'ms',
        baseline: staticPage,
      },
      {
        section: SECTION,
        name: 'Floor: React + Mantine + i18next + TanStack Query, one Title (no app code)',
        value: stack,
        unit: 'ms',
        baseline: staticPage,
      },
      {
        section: SECTION,
        name: 'Floor, warm start (code cache): the same stack, one Title',
        value: warmStack,
        unit: 'ms',
        baseline: staticPage,
      },
      {
        section: SECTION,
        name: 'Home: navigation → «Sportello di oggi» visible',
        value: home,
        unit: 'ms',
        baseline: { name: 'stack floor', value: stack },
        target: within(home, stack, 1.5, 'floor'),
      },
      {
        section: SECTION,
        name: 'Home, warm start (code cache): navigation → «Sportello di oggi»',
        value: warmHome,
        unit: 'ms',
        baseline: { name: 'stack floor, warm start', value: warmStack },
        target: within(warmHome, warmStack, 1.5, 'floor, warm'),
      },
      {
        section: SECTION,
        name: `Pratiche (${k} requests): navigation → first row`,
        value: firstRow,
        unit: 'ms',
        baseline: { name: 'Home', value: home },
        target: within(firstRow, home, 1.5, 'Home'),
      },
      {
        section: SECTION,
        name: `Pratiche (${k} requests), warm start: navigation → first row`,
        value: warmFirstRow,
        unit: 'ms',
        baseline: { name: 'Home, warm start', value: warmHome },
        target: within(warmFirstRow, warmHome, 1.5, 'Home, warm'),
      },
      {
        section: SECTION,
        name: `Pratiche (${k} requests) from Home: click on «Pratiche» → first row`,
        value: fromHome,
        unit: 'ms',
        baseline: { name: 'Home', value: home },
        target: { text: '≤ 100 ms', pass: fromHome <= 100 },
      },
      {
        section: SECTION,
        name: `Pratiche (${k} requests): scroll to the oldest row`,
        value: bottom,
        unit: 'ms',
        baseline: { name: 'Home', value: home },
        target: { text: '≤ 1000 ms', pass: bottom <= 1000 },
      },
    ];
  } finally {
    await browser.close();
    await harness.close();
  }
}

/**
 * The renderer: the built JS/CSS of the initial load (gzip), and the time to first render of Home
 * and of a 10 000-row Pratiche table in Chromium through test/harness.
 */
export async function benchRenderer(
  outDir = join(import.meta.dirname, '..', 'out', 'renderer'),
): Promise<Figure[] | string> {
  const bundle = bundleFigures(outDir);
  if (typeof bundle === 'string') return bundle;
  if (!existsSync(CHROMIUM)) return `${bundle.length} figure(s) only: no Chromium at ${CHROMIUM}`;
  return [...bundle, ...(await renderFigures())];
}
