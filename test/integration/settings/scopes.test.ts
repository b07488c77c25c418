import { describe, expect, it } from 'vitest';
import { OAuthClient } from '../../../main/engine/oauth.ts';
import { it as italian } from '../../../renderer/i18n/it.ts';
import { congedoDraft, sendDraft } from '../../support/drafts.ts';
import { EMAIL, KEY, openapi, sandboxApp, scopesOf } from '../../support/openapi.ts';
import { CONGEDO, clientFor, seedJson } from '../../support/simulator.ts';

/*
 * A scope the account lacks disables what needs it, with the reason — never the saving of the key,
 * and never a call that Openapi would refuse anyway.
 */
describe('what a scope missing on the account disables', () => {
  it('without DELETE /richiesta: cancelling is not tried and says why; an unused open request is shown with the reason', async () => {
    const { remote, clock } = await openapi({ disabledScopes: ['DELETE /richiesta'] });
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    const sent = await sendDraft(t.app, await congedoDraft(t.app));
    expect(sent.status).toBe('pending');

    const detail = await h['requests.get'](sent.id);
    expect(detail).toMatchObject({
      canCancel: true,
      cancelBlocked: 'scope_missing',
      missingScopes: ['DELETE /richiesta'],
    });
    expect(italian.detail.cancelBlocked.scope_missing).toContain('DELETE /richiesta');
    await expect(h['requests.cancel'](sent.id, 'Il cliente ha cambiato idea')).rejects.toMatchObject({
      code: 'scope_missing',
      ambiguous: false,
      details: { scope: 'DELETE /richiesta' },
    });
    expect((await h['requests.get'](sent.id)).status).toBe('pending');

    // An open request of ours nobody wants: the close-out does not try DELETE either.
    const unused = await clientFor(remote).createRequest({
      hash_visura: CONGEDO,
      json_visura: seedJson(),
      state: 0,
    });
    await t.app.internals.ledger.note({
      environment: 'sandbox',
      remoteId: unused.id,
      requestId: sent.id,
      origin: 'duplicate',
      fate: 'abandoned',
      price: 14.7,
    });
    expect(await t.app.internals.closeOut.run()).toBe(0);
    expect((await h['requests.home']()).accountIssues).toEqual([
      expect.objectContaining({ kind: 'unused_open', remoteId: unused.id, detail: 'scope_missing' }),
    ]);
    expect(remote.calls.get('DELETE /richiesta')).toBeUndefined();
  });

  it('without GET /documento: the outputs are not fetched, and the request says why', async () => {
    const { remote, clock } = await openapi({ disabledScopes: ['GET /documento'] });
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    await h['settings.setApiKey']('sandbox', EMAIL, KEY);
    const sent = await sendDraft(t.app, await congedoDraft(t.app));
    expect((await h['requests.get'](sent.id)).missingScopes).toEqual(['GET /documento']);

    clock.advance(130_000);
    await h['requests.refresh'](sent.id);
    await t.app.internals.idle();
    const done = await h['requests.get'](sent.id);
    expect(done).toMatchObject({
      status: 'done',
      documentsState: 'failed',
      documents: [],
      lastError: { code: 'scope_missing', details: { scope: 'GET /documento' } },
    });
    expect(remote.calls.get('GET /documento')).toBeUndefined();
  });

  it('with a ready token, the scopes "Prova connessione" found missing are not tried afterwards', async () => {
    const { remote, clock } = await openapi();
    const t = await sandboxApp(remote, clock);
    const h = t.app.handlers;
    const ready = await new OAuthClient({ http: (url, init) => fetch(url, init) }).createToken(
      { baseUrl: remote.url, email: EMAIL, apiKey: KEY },
      { scopes: scopesOf(remote, ['GET /visure', 'GET /richiesta', 'POST /richiesta', 'PUT /richiesta']) },
    );
    await h['settings.setToken']('sandbox', ready.token);
    // Not known before a check: a call is tried, and Openapi refuses it (403).
    expect((await h['settings.credentials']())[1]).toMatchObject({ kind: 'token', missingScopes: [] });

    await h['settings.testConnection']('sandbox');
    expect((await h['settings.credentials']())[1]).toMatchObject({
      kind: 'token',
      missingScopes: ['DELETE /richiesta', 'GET /documento'],
    });
    const sent = await sendDraft(t.app, await congedoDraft(t.app));
    const deletes = remote.calls.get('DELETE /richiesta') ?? 0;
    await expect(h['requests.cancel'](sent.id, 'prova')).rejects.toMatchObject({ code: 'scope_missing' });
    expect(remote.calls.get('DELETE /richiesta') ?? 0).toBe(deletes);
  });

  it('without PUT /richiesta nothing is opened: an open request could never be closed (and may be paid already)', async () => {
    const { remote, clock } = await openapi({
      disabledScopes: ['PUT /richiesta'],
      reading: { charge: 'open' },
    });
    const t = await sandboxApp(remote, clock);
    await t.app.handlers['settings.setApiKey']('sandbox', EMAIL, KEY);
    const id = await congedoDraft(t.app);
    await expect(sendDraft(t.app, id)).rejects.toMatchObject({
      code: 'scope_missing',
      details: { scope: 'PUT /richiesta' },
    });
    expect(remote.requests()).toHaveLength(0);
    expect(remote.charges()).toHaveLength(0);
    expect(await t.app.handlers['drafts.get'](id)).toMatchObject({
      lastError: { code: 'scope_missing' },
    });
  });
});
