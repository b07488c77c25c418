import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../../main/store/ledger.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The ledger of remote requests (store/ledger.ts), on both adapters: what note keeps and updates,
 * fates and their stamps, which remote ids are known, the orders of the lists, the clock offset's
 * median and the chargeable range.
 */
const adapters = useRegisters();

const byRemoteId = (entries: RemoteEntry[]) =>
  [...entries].sort((a, b) => (a.remoteId < b.remoteId ? -1 : 1)).map((e) => e.remoteId);

describe.each(adapters)('the remote ledger on $name', (adapter) => {
  let t = 0;
  const clock = () => t;
  const open = async () => {
    t = 1_000_000;
    return (await adapter.open(clock)).ledger;
  };

  it('notes a remote request and reads it back whole; an unknown one is null', async () => {
    const ledger = await open();
    expect(await ledger.get('sandbox', 'r1')).toBeNull();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      options: ['pec', 'urgente'],
      price: 14.7,
      createdAt: 999_500,
    });
    expect(await ledger.get('sandbox', 'r1')).toEqual({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      options: ['pec', 'urgente'],
      price: 14.7,
      createdAt: 999_500,
      closedAt: null,
      deleteError: null,
      notedAt: 1_000_000,
      updatedAt: 1_000_000,
    });
    expect(await ledger.get('produzione', 'r1')).toBeNull();

    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r2',
      requestId: 'q2',
      origin: 'adopted',
      fate: 'open',
    });
    expect(await ledger.get('sandbox', 'r2')).toMatchObject({
      options: [],
      price: null,
      createdAt: null,
      closedAt: null,
    });
  });

  it('noting again keeps the first origin, owner, options and noting time; takes the new fate and any new price', async () => {
    const ledger = await open();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      options: ['pec'],
      price: 10,
      createdAt: 999_000,
    });
    t = 1_000_100;
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q9',
      origin: 'duplicate',
      fate: 'abandoned',
      options: ['other'],
    });
    expect(await ledger.get('sandbox', 'r1')).toEqual({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'abandoned',
      options: ['pec'],
      price: 10,
      createdAt: 999_000,
      closedAt: null,
      deleteError: null,
      notedAt: 1_000_000,
      updatedAt: 1_000_100,
    });
    t = 1_000_200;
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      price: 12.5,
      createdAt: 999_999,
    });
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'open',
      price: 12.5,
      createdAt: 999_999,
      notedAt: 1_000_000,
      updatedAt: 1_000_200,
    });
  });

  it('moves fates: closing stamps when (once), a price patch replaces, nothing else is created', async () => {
    const ledger = await open();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      price: 10,
    });
    t = 1_000_050;
    await ledger.setFate('sandbox', 'r1', 'open');
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'open',
      price: 10,
      closedAt: null,
      updatedAt: 1_000_050,
    });
    t = 1_000_100;
    await ledger.setFate('sandbox', 'r1', 'closed', { price: 12.2 });
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'closed',
      price: 12.2,
      closedAt: 1_000_100,
      updatedAt: 1_000_100,
    });
    t = 1_000_200;
    await ledger.setFate('sandbox', 'r1', 'closed');
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'closed',
      price: 12.2,
      closedAt: 1_000_100,
      updatedAt: 1_000_200,
    });
    t = 1_000_300;
    await ledger.setFate('sandbox', 'r1', 'deleted');
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'deleted',
      closedAt: 1_000_100,
      updatedAt: 1_000_300,
    });

    await ledger.setFate('sandbox', 'nobody', 'closed');
    await ledger.setFate('produzione', 'r1', 'cancelled');
    expect(await ledger.get('sandbox', 'nobody')).toBeNull();
    expect(await ledger.get('produzione', 'r1')).toBeNull();
    expect((await ledger.get('sandbox', 'r1'))!.fate).toBe('deleted');
  });

  it('notes why a DELETE failed', async () => {
    const ledger = await open();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'abandoned',
    });
    t = 1_000_400;
    await ledger.noteDeleteError('sandbox', 'r1', 'DELETE non disponibile');
    await ledger.noteDeleteError('prova', 'r1', 'not this one');
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({
      fate: 'abandoned',
      deleteError: 'DELETE non disponibile',
      updatedAt: 1_000_400,
      notedAt: 1_000_000,
    });
  });

  it('knows remote ids by environment, one at a time or a long list at once', async () => {
    const ledger = await open();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'a',
      requestId: 'q',
      origin: 'created',
      fate: 'open',
    });
    await ledger.note({
      environment: 'produzione',
      remoteId: 'b',
      requestId: 'q',
      origin: 'disowned',
      fate: 'open',
    });
    expect(await ledger.knows('sandbox', 'a')).toBe(true);
    expect(await ledger.knows('sandbox', 'b')).toBe(false);
    expect(await ledger.knows('produzione', 'b')).toBe(true);
    expect(await ledger.knows('produzione', 'A')).toBe(false);

    expect(await ledger.known('sandbox', [])).toEqual(new Set());
    expect(await ledger.known('sandbox', ['a', 'b', 'c', 'a'])).toEqual(new Set(['a']));

    // More than one SQLite chunk (500), with known ids in several of them.
    for (const n of [3, 499, 500, 1001]) {
      await ledger.note({
        environment: 'sandbox',
        remoteId: `id${n}`,
        requestId: 'q',
        origin: 'created',
        fate: 'open',
      });
    }
    const ids = Array.from({ length: 1200 }, (_, n) => `id${n}`);
    expect(await ledger.known('sandbox', ids)).toEqual(new Set(['id3', 'id499', 'id500', 'id1001']));
    expect(await ledger.known('produzione', ids)).toEqual(new Set());
  });

  it("lists a request's remote requests and the abandoned ones by when they were noted", async () => {
    const ledger = await open();
    const note = async (
      at: number,
      remoteId: string,
      requestId: string,
      fate: 'open' | 'abandoned',
      environment: 'sandbox' | 'produzione' = 'sandbox',
    ) => {
      t = at;
      await ledger.note({ environment, remoteId, requestId, origin: 'created', fate });
    };
    await note(3_000, 'r3', 'q1', 'abandoned');
    await note(1_000, 'r1', 'q1', 'open');
    await note(2_000, 'r2', 'q2', 'abandoned', 'produzione');
    await note(4_000, 'r0', 'q1', 'open');
    await note(500, 'r5', 'q3', 'abandoned');

    const forQ1 = await ledger.forRequest('q1');
    expect(forQ1.map((e) => [e.remoteId, e.notedAt])).toEqual([
      ['r1', 1_000],
      ['r3', 3_000],
      ['r0', 4_000],
    ]);
    expect(forQ1[1]).toEqual({
      environment: 'sandbox',
      remoteId: 'r3',
      requestId: 'q1',
      origin: 'created',
      fate: 'abandoned',
      options: [],
      price: null,
      createdAt: null,
      closedAt: null,
      deleteError: null,
      notedAt: 3_000,
      updatedAt: 3_000,
    });
    expect(await ledger.forRequest('nobody')).toEqual([]);

    expect((await ledger.abandoned()).map((e) => [e.environment, e.remoteId])).toEqual([
      ['sandbox', 'r5'],
      ['produzione', 'r2'],
      ['sandbox', 'r3'],
    ]);
    t = 5_000;
    await ledger.setFate('sandbox', 'r3', 'deleted');
    expect((await ledger.abandoned()).map((e) => e.remoteId)).toEqual(['r5', 'r2']);
  });

  it("reads the service's clock offset as the median of the last 15 requests created here", async () => {
    const ledger = await open();
    expect(await ledger.clockOffset('sandbox')).toBeNull();
    const created = async (n: number, offset: number, environment: 'sandbox' | 'produzione' = 'sandbox') => {
      t = 10_000 + n * 1_000;
      await ledger.note({
        environment,
        remoteId: `r${n}`,
        requestId: `q${n}`,
        origin: 'created',
        fate: 'open',
        createdAt: t + offset,
      });
    };
    // Not counted: another origin, no creation time, another environment.
    t = 1_000;
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'x1',
      requestId: 'q',
      origin: 'adopted',
      fate: 'open',
      createdAt: 99_999,
    });
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'x2',
      requestId: 'q',
      origin: 'created',
      fate: 'open',
    });
    await created(100, 77_777, 'produzione');
    expect(await ledger.clockOffset('sandbox')).toBeNull();
    expect(await ledger.clockOffset('produzione')).toBe(77_777);

    await created(1, 400);
    expect(await ledger.clockOffset('sandbox')).toBe(400);
    await created(2, -200);
    // Two: the upper of the middle ones.
    expect(await ledger.clockOffset('sandbox')).toBe(400);
    await created(3, 50);
    expect(await ledger.clockOffset('sandbox')).toBe(50);

    // 20 in all: the 5 oldest (offsets 400, -200, 50, 9000, 9000) drop out of the last 15.
    await created(4, 9_000);
    await created(5, 9_000);
    for (let n = 6; n <= 20; n++) await created(n, n * 10 - 100); // -40, -30, …, 100
    expect(await ledger.clockOffset('sandbox')).toBe(30);
  });

  it('lists what may carry a charge in a time range: not disowned, alive in the range', async () => {
    const ledger = await open();
    const put = async (
      remoteId: string,
      e: {
        notedAt: number;
        createdAt?: number;
        closedAt?: number;
        updatedAt?: number;
        origin?: 'created' | 'disowned';
      },
      environment: 'sandbox' | 'produzione' = 'sandbox',
    ) => {
      t = e.notedAt;
      await ledger.note({
        environment,
        remoteId,
        requestId: 'q',
        origin: e.origin ?? 'created',
        fate: 'open',
        ...(e.createdAt !== undefined ? { createdAt: e.createdAt } : {}),
      });
      if (e.closedAt !== undefined) {
        t = e.closedAt;
        await ledger.setFate(environment, remoteId, 'closed');
      }
      if (e.updatedAt !== undefined) {
        t = e.updatedAt;
        await ledger.noteDeleteError(environment, remoteId, 'x');
      }
    };
    // Range [1000, 2000].
    await put('inside', { notedAt: 1_500 });
    await put('created-before-noted-inside', { notedAt: 2_500, createdAt: 900 });
    await put('noted-after', { notedAt: 2_001 });
    await put('created-at-end', { notedAt: 5_000, createdAt: 2_000 });
    await put('closed-before', { notedAt: 100, closedAt: 999 });
    await put('closed-at-start', { notedAt: 100, closedAt: 1_000, updatedAt: 9_000 });
    await put('updated-inside-open', { notedAt: 100, updatedAt: 1_200 });
    await put('updated-before-open', { notedAt: 100, updatedAt: 800 });
    await put('closed-before-updated-after', { notedAt: 100, closedAt: 500, updatedAt: 1_500 });
    await put('disowned', { notedAt: 1_500, origin: 'disowned' });
    await put('other-env', { notedAt: 1_500 }, 'produzione');

    expect(byRemoteId(await ledger.chargeable('sandbox', 1_000, 2_000))).toEqual([
      'closed-at-start',
      'created-at-end',
      'created-before-noted-inside',
      'inside',
      'updated-inside-open',
    ]);
    expect(byRemoteId(await ledger.chargeable('produzione', 1_000, 2_000))).toEqual(['other-env']);
    expect(await ledger.chargeable('prova', 0, 10_000)).toEqual([]);
    const instant = await ledger.chargeable('sandbox', 1_001, 1_001);
    expect(byRemoteId(instant)).toEqual(['created-before-noted-inside', 'updated-inside-open']);
    expect(instant.find((e) => e.remoteId === 'updated-inside-open')).toEqual({
      environment: 'sandbox',
      remoteId: 'updated-inside-open',
      requestId: 'q',
      origin: 'created',
      fate: 'open',
      options: [],
      price: null,
      createdAt: null,
      closedAt: null,
      deleteError: 'x',
      notedAt: 100,
      updatedAt: 1_200,
    });
  });

  it('notes the same remote request from two callers at once: one row, the first origin', async () => {
    const ledger = await open();
    await ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'open',
      price: 5,
    });
    await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        ledger.note({
          environment: 'sandbox',
          remoteId: 'r1',
          requestId: `q${n + 2}`,
          origin: 'adopted',
          fate: 'open',
        }),
      ),
    );
    expect(await ledger.forRequest('q1')).toHaveLength(1);
    expect(await ledger.get('sandbox', 'r1')).toMatchObject({ requestId: 'q1', origin: 'created', price: 5 });
  });
});
