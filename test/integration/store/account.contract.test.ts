import { describe, expect, it } from 'vitest';
import type { AccountSighting } from '../../../main/store/account.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The account's remote requests that no request owns (store/account.ts), on both adapters: what a
 * reading of the list records, what stays of a decision, which ones Home shows and which ones a
 * charge may belong to, and two counters deciding at once.
 */
const adapters = useRegisters();

const seen = (remoteId: string, patch: Partial<AccountSighting> = {}): AccountSighting => ({
  remoteId,
  serviceHash: 'h'.repeat(32),
  price: 14.7,
  createdAt: 1_000,
  transaction: 'open',
  stato: 'In erogazione',
  ...patch,
});

describe.each(adapters)('the account’s requests on $name', (adapter) => {
  it('records what the list shows, and keeps the latest word on a known one', async () => {
    let now = 10_000;
    const store = await adapter.open(() => now);
    await store.account.see('sandbox', [
      seen('r1'),
      seen('r2', { price: null, createdAt: null, transaction: null }),
    ]);
    now = 20_000;
    await store.account.see('sandbox', [
      seen('r1', { transaction: 'closed', stato: 'Visura evasa', price: null }),
    ]);
    expect(await store.account.get('sandbox', 'r1')).toEqual({
      environment: 'sandbox',
      remoteId: 'r1',
      serviceHash: 'h'.repeat(32),
      // A price the list no longer states stays as it was.
      price: 14.7,
      createdAt: 1_000,
      transaction: 'closed',
      stato: 'Visura evasa',
      firstSeenAt: 10_000,
      lastSeenAt: 20_000,
      resolution: null,
      requestId: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    expect(await store.account.get('sandbox', 'r2')).toMatchObject({
      price: null,
      createdAt: null,
      transaction: null,
    });
    expect(await store.account.get('produzione', 'r1')).toBeNull();
  });

  it('lists the undecided ones no request owns, newest first, and counts them', async () => {
    const store = await adapter.open(() => 5_000);
    await store.account.see('sandbox', [
      seen('old', { createdAt: 1_000 }),
      seen('new', { createdAt: 3_000 }),
      seen('unstamped', { createdAt: null }),
      seen('owned', { createdAt: 2_000 }),
      seen('decided', { createdAt: 2_500 }),
    ]);
    await store.account.see('produzione', [seen('elsewhere')]);
    // Adopted since by a request (the ledger holds it): no longer anybody's orphan.
    await store.ledger.note({
      environment: 'sandbox',
      remoteId: 'owned',
      requestId: 'q1',
      origin: 'adopted',
      fate: 'open',
    });
    expect(await store.account.resolve('sandbox', 'decided', 'foreign', 'anna')).toBe(true);
    // Without a creation time, the time it was first seen places it.
    expect((await store.account.unresolved('sandbox', 10)).map((r) => r.remoteId)).toEqual([
      'unstamped',
      'new',
      'old',
    ]);
    expect((await store.account.unresolved('sandbox', 2)).map((r) => r.remoteId)).toEqual([
      'unstamped',
      'new',
    ]);
    expect(await store.account.unresolvedCount('sandbox')).toBe(3);
    expect(await store.account.unresolvedCount('prova')).toBe(0);
  });

  it('records a decision once, with who and when; a second one is refused', async () => {
    const store = await adapter.open(() => 7_000);
    await store.account.see('sandbox', [seen('r1'), seen('r2')]);
    expect(await store.account.resolve('sandbox', 'r1', 'linked', 'anna', 'q9')).toBe(true);
    expect(await store.account.resolve('sandbox', 'r1', 'foreign', 'luca')).toBe(false);
    expect(await store.account.resolve('sandbox', 'nope', 'foreign', 'luca')).toBe(false);
    expect(await store.account.get('sandbox', 'r1')).toMatchObject({
      resolution: 'linked',
      requestId: 'q9',
      resolvedAt: 7_000,
      resolvedBy: 'anna',
    });
    // Seen again on the list: the decision stays.
    await store.account.see('sandbox', [seen('r1', { stato: 'Visura evasa' })]);
    expect(await store.account.get('sandbox', 'r1')).toMatchObject({
      resolution: 'linked',
      stato: 'Visura evasa',
    });
  });

  it('gives the charges the unowned ones of a time range, decided or not, but never a linked one', async () => {
    let now = 50_000;
    const store = await adapter.open(() => now);
    await store.account.see('sandbox', [
      seen('open', { createdAt: 40_000 }),
      seen('foreign', { createdAt: 40_000 }),
      seen('cancelled', { createdAt: 40_000 }),
      seen('linked', { createdAt: 40_000 }),
      seen('later', { createdAt: 90_000 }),
    ]);
    await store.account.resolve('sandbox', 'foreign', 'foreign', 'anna');
    await store.account.resolve('sandbox', 'cancelled', 'cancelled', 'anna');
    await store.account.resolve('sandbox', 'linked', 'linked', 'anna', 'q1');
    now = 60_000;
    const ids = async (from: number, to: number) =>
      (await store.account.chargeable('sandbox', from, to)).map((r) => r.remoteId).sort();
    expect(await ids(30_000, 80_000)).toEqual(['cancelled', 'foreign', 'open']);
    expect(await ids(30_000, 100_000)).toEqual(['cancelled', 'foreign', 'later', 'open']);
    // Last seen before the range: none.
    expect(await ids(55_000, 100_000)).toEqual([]);
  });

  it('takes two readings of the list at once, and two decisions at once, without harm', async () => {
    const store = await adapter.open(() => 1_000);
    const many = Array.from({ length: 40 }, (_, n) => seen(`r${String(n).padStart(2, '0')}`));
    await Promise.all([
      store.account.see('sandbox', many),
      store.account.see('sandbox', [...many].reverse()),
      store.account.see('sandbox', [...many, ...many]),
    ]);
    expect(await store.account.unresolvedCount('sandbox')).toBe(40);
    const decisions = await Promise.all([
      store.account.resolve('sandbox', 'r00', 'foreign', 'anna'),
      store.account.resolve('sandbox', 'r00', 'linked', 'luca', 'q1'),
    ]);
    expect(decisions.filter(Boolean)).toHaveLength(1);
  });
});
