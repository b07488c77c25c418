import { environments, type Environment } from '../../common/environments.ts';
import type { ProbeReport, ServiceProfile } from '../../common/probe.ts';
import type { Preferences } from '../../common/settings.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { EngineProvider } from '../engine/provider.ts';
import type { CreditBook } from '../engine/wallet.ts';
import type { EventHub } from '../events.ts';
import type { Dialogs, Logger, PreferenceStore, SecretCipher } from '../ports.ts';
import type { CounterSpending } from '../requests/spending.ts';
import type { SettingsChanges } from './changes.ts';
import type { CredentialsService } from './credentials.ts';
import { OfficeSettings, type OfficeSettingsDeps } from './office.ts';
import type { ConfigFile, PreferencesService } from './preferences.ts';

/** What the settings take of the app's shared core (main/core.ts gives it, app.ts passes it). */
export interface SettingsCore {
  preferences: Pick<PreferencesService, 'get' | 'update'>;
  credentials: Pick<
    CredentialsService,
    'assertRemote' | 'status' | 'setKey' | 'setToken' | 'clear' | 'setSpendingCap'
  >;
  credit: Pick<CreditBook, 'forget'>;
  engines: Pick<EngineProvider, 'check'>;
  events: Pick<EventHub, 'emit'>;
  environment: () => Environment;
}

/** Impostazioni → "Verifica del servizio" (probe/service.ts runs it). */
export interface ServiceProbe {
  run(environment: Environment): Promise<ProbeReport>;
}

/** What the last probe found of each environment, when it ran (probe/profiles.ts keeps it). */
export interface ProbedProfiles {
  get(environment: Environment): (ServiceProfile & { at: number }) | null;
}

export interface SettingsHandlersDeps {
  core: SettingsCore;
  changes: SettingsChanges;
  probe: ServiceProbe;
  profiles: ProbedProfiles;
  spending: CounterSpending;
  /** After preferences were written: what follows from them elsewhere (the watched folder). */
  saved: (previous: Preferences, next: Preferences, patch: Partial<Preferences>) => Promise<void>;
}

/** `settings.*`: preferences, folders and credentials — what could redirect data or money is asked in main. */
export function settingsHandlers(d: SettingsHandlersDeps): HandlersOf<'settings'> {
  const { preferences, credentials, credit, engines, events } = d.core;
  const savedAs = async (previous: Preferences, next: Preferences, patch: Partial<Preferences>) => {
    events.emit('settingsChanged', next);
    await d.saved(previous, next, patch);
    return next;
  };
  /** Another account's credentials send the office's requests and charges elsewhere: main asks first. */
  const credentialsChange = async <T>(
    env: (typeof environments)[number],
    change: 'set' | 'clear',
    act: () => Promise<T>,
  ) => {
    credentials.assertRemote(env);
    await d.changes.confirmKeyChange(env, change);
    const status = await act();
    credit.forget(env);
    return status;
  };
  return {
    'settings.get': async () => preferences.get(),
    'settings.update': async (patch) => {
      const previous = preferences.get();
      await d.changes.review(previous, patch);
      return savedAs(previous, preferences.update(patch), patch);
    },
    'settings.chooseFolder': async (setting) => {
      const previous = preferences.get();
      const folder = await d.changes.chooseFolder(setting, previous[setting]);
      if (folder === null) return previous;
      return savedAs(previous, preferences.update({ [setting]: folder }), { [setting]: folder });
    },
    'settings.credentials': async () => Promise.all(environments.map((env) => credentials.status(env))),
    'settings.setApiKey': async (env, email, key) =>
      credentialsChange(env, 'set', () => credentials.setKey(env, email, key)),
    'settings.setToken': async (env, token) =>
      credentialsChange(env, 'set', () => credentials.setToken(env, token)),
    'settings.clearCredentials': async (env) => credentialsChange(env, 'clear', () => credentials.clear(env)),
    'settings.setSpendingCap': async (env, cap) => credentials.setSpendingCap(env, cap),
    'settings.spending': async (env) => d.spending.of(env ?? d.core.environment()),
    'settings.testConnection': async (env) => engines.check(env ?? d.core.environment()),
    'settings.probe': async (env) => d.probe.run(env),
    'settings.serviceProfile': async (env) => d.profiles.get(env),
  };
}

/** What Impostazioni → Ufficio takes of the app's shared core (main/core.ts gives it, app.ts passes it). */
export interface OfficeCore {
  ports: { preferences: PreferenceStore<ConfigFile>; cipher: SecretCipher; dialogs: Dialogs };
  log: Logger;
  /** The office register this run uses, or null (core.ts `office`). */
  office: OfficeSettingsDeps['inUse'];
}

/** `office.*`: Impostazioni → Ufficio; what changes the register is confirmed in main (office.ts). */
export function officeHandlers(core: OfficeCore): HandlersOf<'office'> {
  const { ports, log } = core;
  const office = new OfficeSettings({
    store: ports.preferences,
    cipher: ports.cipher,
    dialogs: ports.dialogs,
    log,
    inUse: core.office,
  });
  return {
    'office.status': async () => office.status(),
    'office.chooseCaFile': async () => office.chooseCaFile(),
    'office.test': async (form) => office.test(form),
    'office.join': async (form) => office.join(form),
    'office.prepare': async (form) => office.prepare(form),
    'office.leave': async () => office.leave(),
  };
}
