import { describe, expect, it } from 'vitest';
import { requestRow } from '../../../bench/support.ts';
import { useRegisters } from '../../support/registers.ts';

/*
 * The sending lease of the storage port (requests.claim / release), on both adapters: a
 * compare-and-set on claim_owner / claim_until, so that of several counters of one office exactly
 * one sends a request at a time, and a counter that died mid-submission leaves a lease that expires.
 */
const adapters = useRegisters();

const T = Date.UTC(2025, 0, 15, 9);
const LEASE = 60_000;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe.each(adapters)('the sending lease on $name', (adapter) => {
  const open = async () => {
    const store = await adapter.open(() => T);
    await store.requests.insert(requestRow({ id: 'r1', status: 'sending', createdAt: T, updatedAt: T }));
    return store.requests;
  };

  it('takes a free request, renews its own, refuses another counter while the lease lives', async () => {
    const requests = await open();
    expect(await requests.claim('r1', A, T + LEASE, T)).toBe(true);
    const held = (await requests.get('r1'))!;
    expect(held.claimOwner).toBe(A);
    expect(held.claimUntil).toBe(T + LEASE);
    // The lease is no change of the request: updated_at stays (an uncertain POST settles from it).
    expect(held.updatedAt).toBe(T);

    expect(await requests.claim('r1', B, T + 1_000 + LEASE, T + 1_000)).toBe(false);
    expect(await requests.claim('r1', A, T + 2_000 + LEASE, T + 2_000)).toBe(true);
    expect((await requests.get('r1'))!.claimUntil).toBe(T + 2_000 + LEASE);
    // Until the very end of the lease (claim_until < now, not <=).
    expect(await requests.claim('r1', B, T + 2_000 + 2 * LEASE, T + 2_000 + LEASE)).toBe(false);
    expect((await requests.get('r1'))!.claimOwner).toBe(A);
  });

  it('lets another counter take an expired lease, and the old holder then loses it', async () => {
    const requests = await open();
    expect(await requests.claim('r1', A, T + LEASE, T)).toBe(true);
    const later = T + LEASE + 1;
    expect(await requests.claim('r1', B, later + LEASE, later)).toBe(true);
    expect((await requests.get('r1'))!.claimOwner).toBe(B);
    expect(await requests.claim('r1', A, later + 1 + LEASE, later + 1)).toBe(false);
    // A's release does not free B's lease.
    await requests.release('r1', A);
    expect((await requests.get('r1'))!.claimOwner).toBe(B);
  });

  it('release clears only the owner’s own lease, and frees the request for anyone', async () => {
    const requests = await open();
    expect(await requests.claim('r1', A, T + LEASE, T)).toBe(true);
    await requests.release('r1', A);
    const freed = (await requests.get('r1'))!;
    expect(freed.claimOwner).toBeNull();
    expect(freed.claimUntil).toBeNull();
    expect(await requests.claim('r1', B, T + LEASE, T)).toBe(true);
  });

  it('does not claim a request that does not exist', async () => {
    const requests = await open();
    expect(await requests.claim('missing', A, T + LEASE, T)).toBe(false);
    await requests.release('missing', A);
  });

  it('of concurrent claims by two counters, exactly one wins', async () => {
    const requests = await open();
    for (let round = 0; round < 20; round++) {
      const id = `c${round}`;
      await requests.insert(requestRow({ id, status: 'sending', createdAt: T, updatedAt: T }));
      const [a, b] = await Promise.all([
        requests.claim(id, A, T + LEASE, T),
        requests.claim(id, B, T + LEASE, T),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect((await requests.get(id))!.claimOwner).toBe(a ? A : B);
    }
  });
});
