/*
 * One tracker per office (issue: several counters, one register): on the office's PostgreSQL only
 * the counter holding the tracker's advisory lock polls; when it goes, another takes over; a
 * change committed on one counter reaches every other counter's screen (LISTEN/NOTIFY).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../common/api.ts';
import type { App } from '../../../main/app.ts';
import type { CoreConfig } from '../../../main/core.ts';
import { openPool } from '../../../main/db/postgres/connection.ts';
import { LOCK_NAMESPACE, LOCKS } from '../../../main/db/postgres/locks.ts';
import type { PgOfficeOptions } from '../../../main/store/postgres/office.ts';
import { PgRegister } from '../../../main/store/postgres/register.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { textPdf } from '../../support/files.ts';
import { usePostgres } from '../../support/postgres.ts';
import { relay } from '../../support/relay.ts';

const pg = usePostgres();

/** The test simulator's durations: a minute to "Dati disponibili", a minute more to "Visura evasa". */
const SIM_STEP = 60_000;

/**
 * The defaults (PgOfficeOptions) scaled down: retry and heartbeat every 5 s, a silent session ended
 * by the server after 15 s, so a leader that goes is replaced within 5 s (app closed or crashed)
 * or 20 s (PC off, network cut). Here a tenth of a second.
 */
const FAST: PgOfficeOptions = { retryMs: 100, heartbeatMs: 100, silentSessionMs: 1_000 };

const apps: TestApp[] = [];
// Registered after usePostgres's hooks: runs before them, so the database is free to drop.
afterEach(async () => {
  for (const t of apps.splice(0)) await t.app.close();
});

let dbName = '';

/**
 * A register factory on a fresh office database, prepared by its owner role: each app that calls
 * it gets its own pool, on the counters' role.
 */
async function officeDatabase(office: PgOfficeOptions = FAST): Promise<NonNullable<CoreConfig['register']>> {
  const { name, config } = await pg.register();
  dbName = name;
  return (now, counter) =>
    new PgRegister(openPool(config, { onIdleError: () => {} }), now, counter, { office });
}

/** Two counters of one office: one simulator, one clock, one register; each its own folder. */
async function twoCounters(office?: PgOfficeOptions): Promise<[TestApp, TestApp]> {
  const register = await officeDatabase(office);
  const a = await startApp({ config: { register } });
  const b = await startApp({ config: { register }, simulator: a.simulator, clock: a.clock });
  apps.push(b, a);
  await a.app.start();
  await b.app.start();
  return [a, b];
}

/** How many tracker passes an app's own timer started. */
function countCycles(t: TestApp): { n: number } {
  const tracker = t.app.internals.tracker;
  const cycle = tracker.cycle.bind(tracker);
  const count = { n: 0 };
  tracker.cycle = () => {
    count.n++;
    return cycle();
  };
  return count;
}

/** Every requestChanged an app pushes, with when (real time) it was pushed. */
function pushes(app: App): { at: number; change: EventPayload<'requestChanged'> }[] {
  const seen: { at: number; change: EventPayload<'requestChanged'> }[] = [];
  app.events.subscribe((event, payload) => {
    if (event === 'requestChanged')
      seen.push({ at: performance.now(), change: payload as EventPayload<'requestChanged'> });
  });
  return seen;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function submitted(app: App): Promise<string> {
  const pdf = await textPdf(1);
  const id = await congedoDraft(app, {
    documents: { $5: { name: 'ci.pdf', data: pdf }, $6: { name: 'cf.pdf', data: pdf } },
  });
  const quote = await app.handlers['requests.quote'](id);
  await app.handlers['requests.submit'](id, quote.total);
  return id;
}

const remoteState = async (t: TestApp, id: string) =>
  (await t.app.internals.store.requests.get(id))?.remoteState;

describe('one tracker per office', () => {
  it('runs on the counter holding the lock only, and on another within the retry time once it closes', async () => {
    const [a, b] = await twoCounters();
    expect(a.app.internals.leading()).toBe(true);
    expect(b.app.internals.leading()).toBe(false);
    const cyclesA = countCycles(a);
    const cyclesB = countCycles(b);
    const heardByA = pushes(a.app);

    // Sent from the counter that does not track: the leader hears of it and follows it.
    const id = await submitted(b.app);
    await until('the leader to hear of the request', () =>
      heardByA.some((p) => p.change.id === id && p.change.status === 'pending'),
    );
    await a.app.internals.tracker.settled();
    a.clock.advance(SIM_STEP);
    await until(
      'the leader to read the request',
      async () => (await remoteState(a, id)) === 'Dati disponibili',
    );
    expect(cyclesA.n).toBeGreaterThanOrEqual(1);
    expect(cyclesB.n).toBe(0);
    expect(a.simulator.calls.size).toBeGreaterThan(0);

    // The leader closes: the other counter takes the tracker over within the retry time.
    const closedAt = Date.now();
    await a.app.close();
    await until('the other counter to take over', () => b.app.internals.leading(), 30_000);
    const takeover = Date.now() - closedAt;
    expect(takeover).toBeLessThan(2_000); // retryMs 100 here; 5 s with the defaults, always < 30 s
    await b.app.internals.tracker.settled();
    b.clock.advance(SIM_STEP);
    await until(
      'the new leader to follow the request',
      async () => (await remoteState(b, id)) === 'Visura evasa',
    );
    expect(cyclesB.n).toBeGreaterThanOrEqual(1);
  });

  it('with the default times, a closed leader is replaced within 30 s (5 s: one retry)', async () => {
    const [a, b] = await twoCounters({});
    expect(a.app.internals.leading()).toBe(true);
    const closedAt = Date.now();
    await a.app.close();
    await until('the other counter to take over', () => b.app.internals.leading(), 30_000);
    expect(Date.now() - closedAt).toBeLessThan(30_000);
  }, 40_000);

  it('a leader whose PC goes dark (no answer, nothing closed) is replaced once the server ends its silent session', async () => {
    const { name, config } = await pg.register();
    dbName = name;
    const link = await relay(config);
    const through =
      (c: typeof config): NonNullable<CoreConfig['register']> =>
      (now, counter) =>
        new PgRegister(openPool(c, { onIdleError: () => {} }), now, counter, { office: FAST });
    const a = await startApp({ config: { register: through(link.config) } });
    const b = await startApp({
      config: { register: through(config) },
      simulator: a.simulator,
      clock: a.clock,
    });
    apps.push(b, a);
    try {
      await a.app.start();
      await b.app.start();
      expect(a.app.internals.leading()).toBe(true);
      const darkAt = Date.now();
      link.freeze();
      // The server ends the silent session after silentSessionMs (1 s here, 15 s by default).
      await until('the other counter to take over', () => b.app.internals.leading(), 10_000);
      expect(Date.now() - darkAt).toBeLessThan(FAST.silentSessionMs! + 3_000);
      await until('the dark counter to know it no longer leads', () => !a.app.internals.leading());
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect([a, b].filter((t) => t.app.internals.leading())).toEqual([b]);
    } finally {
      // Its sockets closed, the dark counter's app can close.
      link.cut();
      await link.close();
    }
  });

  it('loses the tracker with its connection, and another counter takes it over', async () => {
    const [a, b] = await twoCounters();
    const stopA = { n: 0 };
    const stop = a.app.internals.tracker.stop.bind(a.app.internals.tracker);
    a.app.internals.tracker.stop = () => {
      stopA.n++;
      return stop();
    };
    // The server ends the leader's session (what a dead PC's session comes to).
    const ended = await pg.cluster.sql(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2`,
      [LOCK_NAMESPACE, LOCKS.tracker],
      dbName,
    );
    expect(ended).toHaveLength(1);
    await until('the leader to notice', () => !a.app.internals.leading());
    expect(stopA.n).toBeGreaterThanOrEqual(1);
    await until('someone to lead again', () => a.app.internals.leading() || b.app.internals.leading());
    // Exactly one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([a, b].filter((t) => t.app.internals.leading())).toHaveLength(1);
  });

  it("pushes a change committed on one counter to the other's screen within a second", async () => {
    const [a, b] = await twoCounters();
    const onA = pushes(a.app);
    const onB = pushes(b.app);
    const id = await submitted(a.app);
    await until('B to hear of the submission', () =>
      onB.some((p) => p.change.id === id && p.change.status === 'pending'),
    );
    await a.app.internals.tracker.settled();
    a.clock.advance(SIM_STEP);
    const moved = (p: { change: EventPayload<'requestChanged'> }) =>
      p.change.id === id && p.change.remoteState === 'Dati disponibili';
    // Whichever counter leads the tracker commits the change; the other hears it from the register.
    await until('both counters to hear of the change', () => onA.some(moved) && onB.some(moved), 5_000);
    const [first, second] = [onA.find(moved)!.at, onB.find(moved)!.at].sort((x, y) => x - y);
    expect(second! - first!).toBeLessThan(1_000);
  });

  it('after a break in listening, reads its screens afresh (what was told meanwhile is lost), then hears again', async () => {
    const [a, b] = await twoCounters();
    const stale: number[] = [];
    b.app.events.subscribe((event) => {
      if (event === 'requestsStale') stale.push(performance.now());
    });
    const onB = pushes(b.app);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stale).toHaveLength(0);
    // The server ends the counters' own sessions (the tracker's lock, the listening): what a network
    // blip or a server's restart does to them.
    const ended = await pg.cluster.sql(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = $1 AND application_name LIKE 'Sportello (%'`,
      [dbName],
      dbName,
    );
    expect(ended.length).toBeGreaterThanOrEqual(3);
    await until('B to read its screens afresh', () => stale.length > 0);
    // …and to hear the next change again.
    const id = await submitted(a.app);
    await until('B to hear of it', () => onB.some((p) => p.change.id === id));
  });

  it('on SQLite, a counter on its own runs the tracker as before', async () => {
    const t = await startApp();
    apps.push(t);
    await t.app.start();
    expect(t.app.internals.leading()).toBe(true);
  });
});
