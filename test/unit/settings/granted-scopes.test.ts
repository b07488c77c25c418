import { describe, expect, it } from 'vitest';
import { grantedScopes, visengineScopes } from '../../../common/credentials.ts';

const HOST = 'test.visengine2.altravia.com';
const listed = (...scopes: [string, boolean][]) => scopes.map(([scope, enabled]) => ({ scope, enabled }));

describe('the needed scopes an account has, from GET /scopes', () => {
  it('grants the enabled ones of the host, leaves out the disabled ones, another host’s and another API’s', () => {
    expect(
      grantedScopes(
        listed(
          [`GET:${HOST}/visure`, true],
          [`GET:${HOST}/richiesta`, true],
          [`POST:${HOST}/richiesta`, true],
          [`PUT:${HOST}/richiesta`, true],
          [`DELETE:${HOST}/richiesta`, false],
          [`GET:visengine2.altravia.com/documento`, true],
          [`GET:company.openapi.com/IT-start`, true],
        ),
        HOST,
      ),
    ).toEqual(['GET /visure', 'GET /richiesta', 'POST /richiesta', 'PUT /richiesta']);
  });

  it('reads wildcards for the method or the endpoint, and the host in any case', () => {
    expect(grantedScopes(listed([`*:${HOST.toUpperCase()}/*`, true]), HOST)).toEqual([...visengineScopes]);
    expect(grantedScopes(listed([`GET:${HOST}/*`, true]), HOST)).toEqual([
      'GET /visure',
      'GET /richiesta',
      'GET /documento',
    ]);
  });

  it('cannot tell from a list that names none of them: null, never "none granted"', () => {
    expect(grantedScopes(listed(['GET:company.openapi.com/IT-start', true]), HOST)).toBeNull();
    expect(grantedScopes([], HOST)).toBeNull();
    // Named but all off: that is an answer.
    expect(grantedScopes(listed([`*:${HOST}/*`, false]), HOST)).toEqual([]);
  });
});
