import { scopeString, visengineScopes, type VisengineScope } from '../../common/credentials.ts';
import { hostOf } from '../../main/engine/endpoints.ts';
import type { SpecReading } from '../../main/simulator/reading.ts';
import type { Simulator } from '../../main/simulator/server.ts';
import { startApp } from './app.ts';
import { ManualClock } from './clock.ts';
import { startSimulator } from './simulator.ts';

/** The office's Openapi account in these tests. */
export const EMAIL = 'caf.centro@example.it';
export const KEY = 'oa-key-7d1e9c3b5a2f4e6d8c0b1a3f5e7d9c2b';

/** "Openapi": a simulator playing both Visengine and the OAuth API, for the office's account. */
export async function openapi(
  options: {
    clock?: ManualClock;
    disabledScopes?: string[];
    wallet?: number;
    reading?: Partial<SpecReading>;
  } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const { simulator } = await startSimulator({
    now: clock.now,
    owner: EMAIL,
    apiKey: KEY,
    durations: { toDatiDisponibili: 60_000, toEvasa: 60_000 },
    ...(options.disabledScopes ? { disabledScopes: options.disabledScopes } : {}),
    ...(options.wallet === undefined ? {} : { wallet: options.wallet }),
    ...(options.reading ? { reading: options.reading } : {}),
  });
  return { remote: simulator, clock };
}

/**
 * The app with Sandbox pointed at `remote` for both Visengine and the OAuth API, the clerk
 * confirming every question of main, this counter named `counter`.
 */
export async function sandboxApp(remote: Simulator, clock: ManualClock, counter = 'Ufficio-1') {
  const t = await startApp({
    clock,
    simulator: remote,
    config: { baseUrlOverride: remote.url, oauthBaseUrlOverride: remote.url },
    // A counter set to work in Sandbox before: switching there now needs credentials already.
    preferences: { environment: 'sandbox' },
  });
  t.ports.dialogs.confirmEverything();
  await t.app.handlers['settings.update']({ counterName: counter });
  return t;
}

/** The scope strings of `scopes` on the host the simulator is reached at. */
export const scopesOf = (remote: Simulator, scopes: readonly VisengineScope[] = visengineScopes) =>
  scopes.map((s) => scopeString(s, hostOf(remote.url)));
