import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { describe, expect, it, vi } from 'vitest';
import type { OfficeLinkState } from '../../../common/office.ts';
import { startApp, type TestApp } from '../../support/app.ts';
import { CONGEDO, defaultDocuments, MARIO, sendDraft } from '../../support/drafts.ts';
import { usePostgres } from '../../support/postgres.ts';
import { relay } from '../../support/relay.ts';

/*
 * Issue 13 item 9: while the office's register does not answer, a counter keeps the drafts it
 * starts on its own disk, and moves them into the office's register once it answers again.
 */
const pg = usePostgres();

const posts = (calls: Map<string, number>) =>
  [...calls].filter(([k]) => k.startsWith('POST')).reduce((n, [, v]) => n + v, 0);

async function count(pool: Pool, sql: string, params: unknown[]): Promise<number> {
  return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
}

/** A counter on the office through a relay the test cuts, and the link's states it says. */
async function counterBehindRelay() {
  const { config, pool } = await pg.register();
  const link = await relay(config);
  const t = await startApp({ config: { office: link.config } });
  await t.app.start();
  const states: OfficeLinkState[] = [];
  t.app.events.subscribe((event, payload) => {
    if (event === 'officeLink') states.push(payload as OfficeLinkState);
  });
  const cut = async () => {
    link.cut();
    t.clock.advance(10_000);
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('unreachable'), { timeout: 5_000 });
  };
  const mend = async () => {
    link.mend();
    await vi.waitFor(
      () => {
        t.clock.advance(10_000);
        expect(states.at(-1)?.state).toBe('ok');
      },
      { timeout: 10_000, interval: 200 },
    );
  };
  return { t, pool, config, link, cut, mend };
}

/** What the counter still holds on its own disk (nothing at all once the file is gone). */
function heldRows(t: TestApp): { requests: number; attachments: number } {
  const file = join(t.root, 'userData', 'bozze-in-attesa.sqlite');
  if (!existsSync(file)) return { requests: 0, attachments: 0 };
  const db = new Database(file, { readonly: true });
  try {
    const n = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return { requests: n('requests'), attachments: n('attachments') };
  } finally {
    db.close();
  }
}

describe('drafts kept on the counter while the office does not answer', () => {
  it('are made, filled and reopened offline, then moved into the office and sent once', async () => {
    const { t, pool, config, link, cut, mend } = await counterBehindRelay();
    const h = t.app.handlers;
    await cut();

    // Offline: a new draft, filled in, with its scans; read back and listed.
    const draft = await h['drafts.create'](CONGEDO);
    await h['drafts.update'](draft.id, { fields: { ...MARIO } });
    const docs = await defaultDocuments();
    for (const [key, source] of Object.entries(docs)) await h['attachments.add'](draft.id, key, source);
    const extra = await h['attachments.add'](draft.id, '$5', docs.$5!);
    const afterRemove = await h['attachments.remove'](draft.id, extra.id);
    expect(afterRemove.attachments).toHaveLength(3);
    const offline = await h['drafts.get'](draft.id);
    expect(offline.fields).toMatchObject(MARIO);
    expect(offline.attachments.map((a) => a.fieldKey).sort()).toEqual(['$5', '$6', '$7']);
    expect((await h['drafts.list']()).map((d) => d.id)).toContain(draft.id);
    expect(heldRows(t)).toEqual({ requests: 1, attachments: 3 });

    // Sending it is refused while the office does not answer: nothing reaches the API.
    const before = posts(t.simulator.calls);
    const created = t.simulator.requests().length;
    await expect(h['requests.submit'](draft.id, 14.7)).rejects.toMatchObject({ code: 'office_unreachable' });
    expect(posts(t.simulator.calls)).toBe(before);
    expect(await count(pool, 'requests WHERE id = $1', [draft.id])).toBe(0);

    // The office answers again: the draft moves in by itself, its copy here removed.
    await mend();
    await vi.waitFor(async () => expect(await count(pool, 'requests WHERE id = $1', [draft.id])).toBe(1), {
      timeout: 5_000,
    });
    await t.app.internals.idle();
    expect(await count(pool, 'attachments WHERE request_id = $1', [draft.id])).toBe(3);
    expect(await count(pool, "events WHERE request_id = $1 AND kind = 'created'", [draft.id])).toBe(1);
    expect(heldRows(t)).toEqual({ requests: 0, attachments: 0 });
    expect(existsSync(join(t.root, 'userData', 'bozze-in-attesa.sqlite'))).toBe(false);
    expect(t.app.internals.held?.holding).toBe(false);

    // Another counter of the office sees it in the register, with its scans' metadata.
    const other = await startApp({ config: { office: config }, simulator: t.simulator, clock: t.clock });
    await other.app.start();
    const seen = await other.app.handlers['drafts.get'](draft.id);
    expect(seen.fields).toMatchObject(MARIO);
    expect(seen.attachments.map((a) => [a.fieldKey, a.sha256])).toEqual(
      offline.attachments.map((a) => [a.fieldKey, a.sha256]),
    );
    await other.app.close();

    // Moving again finds nothing to move (the file went with its last draft); the draft is sent, once.
    const again = await t.app.internals.held!.moveIn();
    expect(again).toEqual({ moved: [], report: null });
    const sent = await sendDraft(t.app, draft.id);
    expect(sent.status).not.toBe('draft');
    expect(t.simulator.requests()).toHaveLength(created + 1);
    expect(t.simulator.charges()).toHaveLength(1);
    expect(await count(pool, 'requests WHERE id = $1 AND remote_id IS NOT NULL', [draft.id])).toBe(1);
    expect(await count(pool, 'requests', [])).toBe(1);
    await t.app.close();
    await link.close();
  });

  it('a move cut half-way is finished by the next one, doubling nothing', async () => {
    const { t, pool, link, cut } = await counterBehindRelay();
    const h = t.app.handlers;
    await cut();
    const draft = await h['drafts.create'](CONGEDO);
    await h['drafts.update'](draft.id, { fields: { ...MARIO } });
    const docs = await defaultDocuments();
    await h['attachments.add'](draft.id, '$5', docs.$5!);
    await h['attachments.add'](draft.id, '$6', docs.$6!);

    // The office answers before the link has noticed: the move is run by hand, and fails once
    // after the office has the rows but before this counter let go of its copy.
    link.mend();
    const held = t.app.internals.held!;
    await expect(
      held.moveIn({
        onBatch: (table) => {
          if (table === 'events') throw new Error('crash after the events');
        },
      }),
    ).rejects.toThrow(/crash/);
    expect(await count(pool, 'requests WHERE id = $1', [draft.id])).toBe(1);
    expect(heldRows(t)).toEqual({ requests: 1, attachments: 2 });
    expect(held.holding).toBe(true);

    const first = await held.moveIn();
    expect(first.moved).toEqual([draft.id]);
    const second = await held.moveIn();
    expect(second.moved).toEqual([]);
    expect(await count(pool, 'requests WHERE id = $1', [draft.id])).toBe(1);
    expect(await count(pool, 'attachments WHERE request_id = $1', [draft.id])).toBe(2);
    expect(await count(pool, 'events WHERE request_id = $1', [draft.id])).toBe(1);
    expect(heldRows(t)).toEqual({ requests: 0, attachments: 0 });
    expect((await h['drafts.get'](draft.id)).attachments).toHaveLength(2);
    await t.app.close();
    await link.close();
  });
});
