import { describe, expect, it } from 'vitest';
import { endpointsFor } from '../../../main/engine/endpoints.ts';
import { paidTarget } from '../../../main/probe/produzione.ts';

describe('the probe’s guard against spending in Produzione', () => {
  it('knows Produzione by name, and by host whatever the environment says', () => {
    expect(paidTarget('produzione', endpointsFor('produzione'))).toBe('Produzione');
    expect(paidTarget('sandbox', endpointsFor('sandbox'))).toBeNull();
    expect(
      paidTarget('sandbox', endpointsFor('sandbox', { baseUrl: 'https://visengine2.altravia.com' })),
    ).toContain('visengine2.altravia.com');
    expect(
      paidTarget('sandbox', endpointsFor('sandbox', { baseUrl: 'HTTP://VISENGINE2.ALTRAVIA.COM.:443/' })),
    ).toContain('visengine2.altravia.com');
    expect(
      paidTarget('sandbox', endpointsFor('sandbox', { oauthBaseUrl: 'https://oauth.openapi.com' })),
    ).toContain('oauth.openapi.com');
    expect(paidTarget('sandbox', endpointsFor('sandbox', { baseUrl: 'http://127.0.0.1:4010' }))).toBeNull();
  });
});
