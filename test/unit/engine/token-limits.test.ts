import { describe, expect, it } from 'vitest';
import { InsufficientCreditError, SpendingCapError, UnauthorizedError } from '../../../main/engine/errors.ts';
import { errorFor } from '../../../main/engine/visengine/errors.ts';

/*
 * What a gateway answers when a token's own limits stop a charge is in neither spec: whatever the
 * status a gateway would use, a refusal naming a TokenLimits member is the cap — a definite
 * refusal, never an unknown outcome, even for a POST.
 */
describe('a token’s spending cap reached', () => {
  it.each([
    [403, 'POST /richiesta: Token limit reached: walletAmount 29.40 of 30.00 spent'],
    [402, 'PUT /richiesta/x: wallet amount limit exceeded for this token'],
    [429, 'POST /richiesta: walletRequests limit reached'],
    [403, 'POST /richiesta: totalRequests limit reached'],
  ])('is the cap (%i "%s"), not ambiguous, on a POST or a PUT', (status, message) => {
    const error = errorFor(status, undefined, message, true);
    expect(error).toBeInstanceOf(SpendingCapError);
    expect(error).toMatchObject({ code: 'spending_cap', ambiguous: false, status });
  });

  it('is told apart from the wallet’s own credit and from a missing scope', () => {
    expect(errorFor(402, 211, 'POST /richiesta: Insufficient Credit in Wallet: 3.00', true)).toBeInstanceOf(
      InsufficientCreditError,
    );
    expect(
      errorFor(403, 403, 'POST /richiesta: Forbidden: the token has no scope POST:h/richiesta', true),
    ).toBeInstanceOf(UnauthorizedError);
    // A rate limit is no cap: it names no member of TokenLimits.
    expect(errorFor(429, undefined, 'GET /richiesta: rate limit reached', false)).not.toBeInstanceOf(
      SpendingCapError,
    );
  });
});
