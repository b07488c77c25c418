import { environments } from '../../common/environments.ts';
import type { Preferences } from '../../common/settings.ts';
import type { Core } from '../core.ts';
import type { HandlersOf } from '../dispatch.ts';
import type { ProbeService } from '../probe/service.ts';
import type { ServiceProfiles } from '../probe/profiles.ts';
import type { CounterSpending } from '../requests/spending.ts';
import type { SettingsChanges } from './changes.ts';
import { OfficeSettings } from './office.ts';

export interface SettingsHandlersDeps {
  core: Core;
  changes: SettingsChanges;
  probe: ProbeService;
  profiles: ServiceProfiles;
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

/** `office.*`: Impostazioni → Ufficio; what changes the register is confirmed in main (office.ts). */
export function officeHandlers(core: Pick<Core, 'ports' | 'log' | 'office'>): HandlersOf<'office'> {
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
