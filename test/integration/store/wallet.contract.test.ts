import { describe, expect, it } from 'vitest';
import type { WalletVerdict } from '../../../main/store/wallet.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The account's charges (store/wallet.ts), on both adapters: which charges are open and in what
 * order, what a check does, what recording a charge again keeps, and two audits at once.
 */
const adapters = useRegisters();

const verdict = (id: string, at: number, patch: Partial<WalletVerdict> = {}): WalletVerdict => ({
  id,
  amount: -14.7,
  at,
  description: `Addebito ${id}`,
  remoteId: null,
  verdict: 'unmatched',
  ...patch,
});

describe.each(adapters)('the wallet records on $name', (adapter) => {
  it('lists unexplained unchecked charges newest first, with the request of their remote id', async () => {
    const store = await adapter.open(() => 1_000);
    await store.ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'closed',
    });
    await store.ledger.note({
      environment: 'produzione',
      remoteId: 'r2',
      requestId: 'q2',
      origin: 'created',
      fate: 'closed',
    });
    expect(await store.wallet.open('sandbox')).toEqual([]);
    await store.wallet.record(
      'sandbox',
      [
        verdict('t1', 100, { verdict: 'matched', remoteId: 'r1' }),
        verdict('t2', 300, { verdict: 'doubled', remoteId: 'r1', amount: -29.4 }),
        verdict('t3', 200),
        verdict('t4', 400, { verdict: 'not_visengine' }),
        verdict('t5', 250, { remoteId: 'r2' }),
      ],
      5_000,
    );
    await store.wallet.record('produzione', [verdict('t9', 999)], 5_000);
    expect(await store.wallet.open('sandbox')).toEqual([
      { id: 't2', amount: -29.4, at: 300, verdict: 'doubled', remoteId: 'r1', requestId: 'q1' },
      // r2 is known in produzione only.
      { id: 't5', amount: -14.7, at: 250, verdict: 'unmatched', remoteId: 'r2', requestId: null },
      { id: 't3', amount: -14.7, at: 200, verdict: 'unmatched', remoteId: null, requestId: null },
    ]);
    expect(await store.wallet.open('produzione')).toEqual([
      { id: 't9', amount: -14.7, at: 999, verdict: 'unmatched', remoteId: null, requestId: null },
    ]);
    expect(await store.wallet.open('prova')).toEqual([]);
  });

  it('lists at most the 50 newest', async () => {
    const store = await adapter.open();
    await store.wallet.record(
      'sandbox',
      Array.from({ length: 60 }, (_, n) => verdict(`t${String(n).padStart(2, '0')}`, 1_000 + n)),
      5_000,
    );
    const open = await store.wallet.open('sandbox');
    expect(open).toHaveLength(50);
    expect(open[0]).toMatchObject({ id: 't59', at: 1_059 });
    expect(open[49]).toMatchObject({ id: 't10', at: 1_010 });
    expect(open.map((c) => c.at)).toEqual(Array.from({ length: 50 }, (_, n) => 1_059 - n));
  });

  it('checks a charge once: it leaves the open ones, and recording it again does not reopen it', async () => {
    const store = await adapter.open();
    await store.wallet.record('sandbox', [verdict('t1', 100), verdict('t2', 200)], 5_000);
    expect(await store.wallet.check('produzione', 't1', 6_000, 'anna')).toBe(false);
    expect(await store.wallet.check('sandbox', 'nobody', 6_000, 'anna')).toBe(false);
    expect(await store.wallet.check('sandbox', 't1', 6_000, 'anna')).toBe(true);
    expect(await store.wallet.check('sandbox', 't1', 7_000, 'bruno')).toBe(false);
    expect((await store.wallet.open('sandbox')).map((c) => c.id)).toEqual(['t2']);

    await store.wallet.record(
      'sandbox',
      [verdict('t1', 100, { verdict: 'doubled' }), verdict('t2', 200)],
      8_000,
    );
    expect((await store.wallet.open('sandbox')).map((c) => c.id)).toEqual(['t2']);
    expect(await store.wallet.check('sandbox', 't1', 9_000, 'bruno')).toBe(false);
  });

  it('recording a charge again takes the new verdict and remote id, keeps its amount and time', async () => {
    const store = await adapter.open();
    await store.ledger.note({
      environment: 'sandbox',
      remoteId: 'r1',
      requestId: 'q1',
      origin: 'created',
      fate: 'closed',
    });
    await store.wallet.record(
      'sandbox',
      [verdict('t1', 100, { verdict: 'matched', remoteId: 'r1' }), verdict('t2', 200)],
      5_000,
    );
    await store.wallet.record(
      'sandbox',
      [
        verdict('t1', 150, { verdict: 'doubled', remoteId: 'r1', amount: -1 }),
        verdict('t2', 250, { verdict: 'matched', remoteId: 'r1', amount: -2 }),
      ],
      6_000,
    );
    expect(await store.wallet.open('sandbox')).toEqual([
      { id: 't1', amount: -14.7, at: 100, verdict: 'doubled', remoteId: 'r1', requestId: 'q1' },
    ]);
    await store.wallet.record('sandbox', [verdict('t1', 150, { remoteId: null })], 7_000);
    expect(await store.wallet.open('sandbox')).toEqual([
      { id: 't1', amount: -14.7, at: 100, verdict: 'unmatched', remoteId: null, requestId: null },
    ]);
    await store.wallet.record('sandbox', [], 8_000);
    expect(await store.wallet.open('sandbox')).toHaveLength(1);
  });

  it('a charge listed twice in one audit: the first one recorded, the last verdict kept', async () => {
    const store = await adapter.open();
    await store.wallet.record(
      'sandbox',
      [
        verdict('t1', 100, { amount: -1, verdict: 'matched' }),
        verdict('t2', 200),
        verdict('t1', 300, { amount: -3, verdict: 'doubled', remoteId: 'r9' }),
      ],
      5_000,
    );
    expect(await store.wallet.open('sandbox')).toEqual([
      { id: 't2', amount: -14.7, at: 200, verdict: 'unmatched', remoteId: null, requestId: null },
      { id: 't1', amount: -1, at: 100, verdict: 'doubled', remoteId: 'r9', requestId: null },
    ]);
  });

  it('audits at once over the same charges, listed in opposite orders, all record; checks at once, one wins', async () => {
    const store = await adapter.open();
    // Enough rows for the statements to overlap on PostgreSQL (each row a lock the others wait for).
    const charges = Array.from({ length: 3000 }, (_, n) =>
      verdict(`t${String(n).padStart(4, '0')}`, 1_000 + n),
    );
    const reversed = [...charges].reverse();
    await Promise.all([
      store.wallet.record('sandbox', charges, 5_000),
      store.wallet.record('sandbox', reversed, 5_000),
      store.transaction(() => store.wallet.record('sandbox', reversed.slice(500, 2500), 5_000)),
      store.transaction(() => store.wallet.record('sandbox', charges.slice(1000, 2000), 5_000)),
    ]);
    const open = await store.wallet.open('sandbox');
    expect(open.map((c) => c.id)).toEqual(reversed.slice(0, 50).map((c) => c.id));

    const checks = await Promise.all(
      Array.from({ length: 6 }, (_, n) => store.wallet.check('sandbox', 't2999', 6_000 + n, `op${n}`)),
    );
    expect(checks.filter(Boolean)).toHaveLength(1);
    expect((await store.wallet.open('sandbox'))[0]!.id).toBe('t2998');
  });
});
