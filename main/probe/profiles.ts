import type { Environment } from '../../common/environments.ts';
import { serviceProfileSchema, type ProbeReport, type ServiceProfile } from '../../common/probe.ts';
import type { PreferenceStore } from '../ports.ts';
import type { ConfigFile } from '../settings/preferences.ts';

/**
 * The profile the last probe found for each environment (config.json). The app follows it only
 * where relying on it is safe — a DELETE the service does not offer is not tried, a charge's amount
 * is matched net or gross as the wallet was seen to take it — and takes the safe path otherwise:
 * an unknown answer never changes how money is handled.
 */
export class ServiceProfiles {
  private readonly store: PreferenceStore<ConfigFile>;

  constructor(store: PreferenceStore<ConfigFile>) {
    this.store = store;
  }

  get(environment: Environment): (ServiceProfile & { at: number }) | null {
    const saved = this.store.store.profiles?.[environment];
    const parsed = serviceProfileSchema.safeParse(saved);
    return parsed.success && typeof saved?.at === 'number' ? { ...parsed.data, at: saved.at } : null;
  }

  save(report: ProbeReport): void {
    this.store.set('profiles', {
      ...this.store.store.profiles,
      [report.environment]: { ...report.profile, at: report.finishedAt },
    });
  }
}
