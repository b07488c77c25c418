import { describe, expect, it } from 'vitest';
import type { WalletTransaction } from '../../../main/engine/oauth.ts';
import { CHARGE_WINDOW_MS, matchCharges } from '../../../main/requests/charges.ts';
import type { RemoteEntry } from '../../../main/store/ledger.ts';

/* Matching the account's charges to the remote requests of the ledger (main/requests/charges.ts). */

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const HOST = 'visengine2.altravia.com';

const entry = (
  remoteId: string,
  price: number,
  createdAt: number,
  closedAt: number | null = createdAt + 60_000,
): RemoteEntry => ({
  environment: 'produzione',
  remoteId,
  requestId: `local-${remoteId}`,
  origin: 'created',
  fate: closedAt ? 'closed' : 'open',
  options: [],
  price,
  createdAt,
  closedAt,
  deleteError: null,
  notedAt: createdAt,
  updatedAt: closedAt ?? createdAt,
});

const tx = (
  id: string,
  amount: number,
  at: number,
  description = `API usage - ${HOST}`,
): WalletTransaction => ({
  id,
  amount,
  createdAt: at,
  description,
});

describe('matching the account’s charges to the log', () => {
  it('matches each charge to the request of its amount nearest in time, at creation or at close', () => {
    const entries = [entry('a', 14.7, T0), entry('b', 14.7, T0 + 600_000), entry('c', 21, T0)];
    const result = matchCharges(
      [tx('1', -14.7, T0 + 600_100), tx('2', -14.7, T0 + 60_000), tx('3', -21, T0 + 5_000)],
      entries,
      HOST,
    );
    expect(result).toEqual([
      { transactionId: '1', remoteId: 'b', verdict: 'matched' },
      { transactionId: '2', remoteId: 'a', verdict: 'matched' },
      { transactionId: '3', remoteId: 'c', verdict: 'matched' },
    ]);
  });

  it('accepts the amount with IVA too (the spec does not say which the wallet takes)', () => {
    expect(matchCharges([tx('1', -17.93, T0 + 1_000)], [entry('a', 14.7, T0)], HOST)[0]).toMatchObject({
      remoteId: 'a',
      verdict: 'matched',
    });
  });

  it('pairs a search and its service, charged apart, with one request of their sum', () => {
    const result = matchCharges(
      [tx('1', -4.5, T0 + 1_000), tx('2', -10.2, T0 + 50_000)],
      [entry('a', 14.7, T0)],
      HOST,
    );
    expect(result.map((m) => [m.remoteId, m.verdict])).toEqual([
      ['a', 'matched'],
      ['a', 'matched'],
    ]);
  });

  it('calls a second charge of a paid request doubled, and one nothing explains unmatched', () => {
    const result = matchCharges(
      [tx('1', -14.7, T0 + 1_000), tx('2', -14.7, T0 + 2_000), tx('3', -9.99, T0 + 3_000)],
      [entry('a', 14.7, T0)],
      HOST,
    );
    expect(result.map((m) => [m.transactionId, m.remoteId, m.verdict])).toEqual([
      ['1', 'a', 'matched'],
      ['2', 'a', 'doubled'],
      ['3', null, 'unmatched'],
    ]);
  });

  it('leaves aside top-ups and other APIs’ charges, and charges out of every window', () => {
    const result = matchCharges(
      [
        tx('1', 100, T0, 'Wallet recharge'),
        tx('2', -5.25, T0, 'API usage - sms.openapi.com'),
        tx('3', -14.7, T0 + 60_000 + CHARGE_WINDOW_MS + 1_000),
      ],
      [entry('a', 14.7, T0)],
      HOST,
    );
    expect(result.map((m) => m.verdict)).toEqual(['not_visengine', 'not_visengine', 'unmatched']);
  });

  it('does not call a charge matched only to a request of the account no request owns matched', () => {
    const orphan = { ...entry('o', 21, T0 + 30_000), orphan: 'orphan' as const };
    const foreign = { ...entry('f', 9, T0 + 30_000), orphan: 'foreign' as const };
    const result = matchCharges(
      [
        tx('1', -14.7, T0 + 1_000),
        tx('2', -21, T0 + 31_000),
        tx('3', -21, T0 + 32_000),
        tx('4', -9, T0 + 31_000),
      ],
      [entry('a', 14.7, T0), orphan, foreign],
      HOST,
    );
    expect(result.map((m) => [m.transactionId, m.remoteId, m.verdict])).toEqual([
      ['1', 'a', 'matched'],
      ['2', 'o', 'orphan'],
      // A second charge for it is not "doubled" against the log: it is that request's, shown.
      ['3', 'o', 'orphan'],
      // One the clerk said is not the office's: explained, not shown.
      ['4', 'f', 'foreign'],
    ]);
  });
});
