import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../main/db/database.ts';
import type { OfficeLinkState } from '../../../common/office.ts';
import { MOVED_TABLES } from '../../../main/store/move.ts';
import { startApp } from '../../support/app.ts';
import { ManualClock } from '../../support/clock.ts';
import { congedoDraft } from '../../support/drafts.ts';
import { usePostgres } from '../../support/postgres.ts';
import { relay } from '../../support/relay.ts';
import { tempDir } from '../../support/tmp.ts';
import { localRows, officeRows, seedLog } from '../store/move.seed.ts';

const pg = usePostgres();

const posts = (calls: Map<string, number>) =>
  [...calls].filter(([k]) => k.startsWith('POST')).reduce((n, [, v]) => n + v, 0);

describe('a counter on the office register', () => {
  it('moves its own log in once into the register its owner prepared, erases it from this PC, and works there', async () => {
    const root = tempDir();
    const file = join(root, 'userData', 'pratiche.sqlite');
    const local = openDatabase(file);
    // Made an hour before the app starts: retention keeps them.
    await seedLog(local, 8, 'loc', new ManualClock().now() - 3_600_000);
    const columns = (table: string) =>
      (local.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const names = Object.fromEntries(MOVED_TABLES.map((table) => [table, columns(table)]));
    const moved = localRows(local);
    local.close();
    const { config, pool } = await pg.register();

    let t = await startApp({ root, config: { office: config } });
    await t.app.start();
    expect(t.app.internals.store.kind).toBe('postgres');
    // The app works on the moved rows at once (outputs due, …): what was moved is all there, once.
    const office = await officeRows(pool, (table) => names[table]!);
    // Besides the trail, only this counter's key (published at start: the office keeps documents on
    // file) joins what was moved.
    for (const table of Object.keys(moved))
      if (table !== 'events' && table !== 'counter_keys')
        expect(office[table], table).toHaveLength(moved[table]!.length);
    expect(office.counter_keys).toHaveLength(moved.counter_keys!.length + 1);
    expect(office.requests!.map((r) => r.id)).toEqual(moved.requests!.map((r) => r.id));
    expect(office.events!.map((e) => e.origin)).toEqual(
      expect.arrayContaining(moved.events!.map((e) => e.origin)),
    );
    expect(new Set(office.events!.map((e) => e.origin)).size).toBe(office.events!.length);
    const status = await t.app.handlers['office.status']();
    expect(status).toMatchObject({ inUse: 'office', link: { state: 'ok', moved: true } });
    // The local log is gone from this PC, its journal files with it.
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(existsSync(path), path).toBe(false);

    // A draft made on the office register, then a restart: the move is not run again.
    const id = await congedoDraft(t.app);
    t = await t.restart();
    await t.app.start();
    expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM requests')).rows[0]?.n).toBe(9);
    expect((await t.app.handlers['drafts.get'](id)).id).toBe(id);
    expect(existsSync(file)).toBe(false);
    await t.app.close();
  });

  it('opens while the office register does not answer, says so, and starts once it does', async () => {
    const { config } = await pg.register();
    const link = await relay(config);
    link.cut();
    const t = await startApp({ config: { office: link.config } });
    const states: OfficeLinkState[] = [];
    t.app.events.subscribe((event, payload) => {
      if (event === 'officeLink') states.push(payload as OfficeLinkState);
    });
    let started = false;
    const starting = t.app.start().then(() => (started = true));
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
    expect(started).toBe(false);
    await expect(t.app.handlers['drafts.create']('8a7c8386fff43d28182cfa2ad24a3532')).rejects.toMatchObject({
      code: 'office_unreachable',
    });

    link.mend();
    await vi.waitFor(
      () => {
        t.clock.advance(5_000);
        expect(started).toBe(true);
      },
      { timeout: 10_000, interval: 200 },
    );
    await starting;
    expect(states.at(-1)).toEqual({ state: 'ok', message: null, moved: true });
    await t.app.close();
    await link.close();
  });

  it('quits while still waiting for the office register', async () => {
    const { config } = await pg.register();
    const link = await relay(config);
    link.cut();
    const t = await startApp({ config: { office: link.config } });
    const starting = t.app.start();
    t.app.interrupt();
    await expect(starting).rejects.toThrow(/stopped before the office register answered/);
    await t.app.close();
    await link.close();
  });

  it('says when the office register is unreachable, sends nothing, and reconnects by itself', async () => {
    const { config } = await pg.register();
    const link = await relay(config);
    const t = await startApp({ config: { office: link.config } });
    await t.app.start();
    const states: OfficeLinkState[] = [];
    t.app.events.subscribe((event, payload) => {
      if (event === 'officeLink') states.push(payload as OfficeLinkState);
    });
    const id = await congedoDraft(t.app);
    const quote = await t.app.handlers['requests.quote'](id);
    const before = posts(t.simulator.calls);

    link.cut();
    await expect(t.app.handlers['requests.submit'](id, quote.total)).rejects.toMatchObject({
      code: 'office_unreachable',
      message: expect.stringMatching(/^Registro dell’ufficio non raggiungibile: /) as unknown,
    });
    expect(posts(t.simulator.calls)).toBe(before);
    t.clock.advance(10_000);
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
    expect(states.at(-1)?.message).toMatch(/non risponde/);
    expect((await t.app.handlers['office.status']()).link?.state).toBe('unreachable');

    link.mend();
    await vi.waitFor(
      () => {
        t.clock.advance(10_000);
        expect(states.at(-1)?.state).toBe('ok');
      },
      { timeout: 10_000, interval: 200 },
    );
    const sent = await t.app.handlers['requests.submit'](id, quote.total);
    expect(sent.status).not.toBe('draft');
    expect(posts(t.simulator.calls)).toBeGreaterThan(before);
    await t.app.close();
    await link.close();
  });
});
