import type { Environment } from '../../common/environments.ts';
import type { Preferences, PreferencesPatch } from '../../common/settings.ts';
import { AppError } from '../errors.ts';
import type { Dialogs } from '../ports.ts';
import { folderProblem, scannerAddressProblem } from './checks.ts';

/** The folders only main's folder dialog sets. */
export type FolderSetting = 'archiveRoot' | 'watchFolder';

const ENVIRONMENT_NAMES: Record<Environment, string> = {
  prova: 'Prova',
  sandbox: 'Sandbox',
  produzione: 'Produzione',
};

/** "5 anni", "1 anno", "90 giorni": a retention period as the office says it. */
const span = (days: number) =>
  days % 365 === 0
    ? days === 365
      ? '1 anno'
      : `${days / 365} anni`
    : days === 1
      ? '1 giorno'
      : `${days} giorni`;

const declined = () =>
  new AppError('not_confirmed', 'Modifica non confermata: le impostazioni restano come erano');

/**
 * The settings changes that widen what main reads, where it sends requests, whose account pays, or
 * what it keeps. The page may ask for them; main checks them and asks the clerk in its own dialogs
 * (the Dialogs port), which the page can neither see nor answer.
 */
export class SettingsChanges {
  private readonly dialogs: Dialogs;
  private readonly usable: (environment: Environment) => Promise<boolean>;

  /**
   * `usable`: whether an environment has credentials this counter can use (Prova always has
   * them): no switch goes to one that cannot send a request.
   */
  constructor(deps: { dialogs: Dialogs; usable: (environment: Environment) => Promise<boolean> }) {
    this.dialogs = deps.dialogs;
    this.usable = deps.usable;
  }

  /**
   * Opens the folder dialog for `setting`; the chosen folder once checked (and, for the archive,
   * confirmed), or null when the clerk cancelled.
   */
  async chooseFolder(setting: FolderSetting, current: string | null): Promise<string | null> {
    const title =
      setting === 'archiveRoot'
        ? 'Scegliete la cartella dell’archivio'
        : 'Scegliete la cartella dove lo scanner salva i file';
    const folder = await this.dialogs.chooseFolder({ title, defaultPath: current ?? undefined });
    if (folder === null) return null;
    const problem = folderProblem(folder);
    if (problem)
      throw new AppError('invalid_argument', problem.message, {
        details: { setting, reason: problem.reason },
      });
    if (setting === 'archiveRoot' && folder !== current) {
      await this.mustConfirm({
        title: 'Cartella dell’archivio',
        message: 'Spostare l’archivio in questa cartella?',
        detail: `${folder}\n\nI documenti delle pratiche che si concluderanno d’ora in poi andranno qui, in una sottocartella per cliente.`,
        confirm: 'Usa questa cartella',
      });
    }
    return folder;
  }

  /** Checks a patch from the page and asks for what needs the clerk's word; throws if refused. */
  async review(previous: Preferences, patch: PreferencesPatch): Promise<void> {
    if (patch.environment !== undefined && patch.environment !== previous.environment)
      await this.switchEnvironment(patch.environment);
    if (patch.esclScanners) {
      for (const url of patch.esclScanners) {
        const problem = scannerAddressProblem(url);
        if (problem)
          throw new AppError('invalid_argument', problem.message, {
            details: { setting: 'esclScanners', reason: problem.reason, host: problem.host ?? null },
          });
      }
      const added = patch.esclScanners.filter((url) => !previous.esclScanners.includes(url));
      if (added.length) {
        await this.mustConfirm({
          title: 'Scanner di rete',
          message:
            added.length === 1 ? 'Aggiungere questo scanner di rete?' : 'Aggiungere questi scanner di rete?',
          detail: `${added.join('\n')}\n\nSportello invierà le richieste di scansione a questi indirizzi della rete dell’ufficio.`,
          confirm: 'Aggiungi',
        });
      }
    }
    const days = patch.retentionDays ?? previous.retentionDays;
    // Keeping everything forever is a choice too: asked when first made, even if 0 stays 0.
    const firstChoice = patch.retentionAsked === true && !previous.retentionAsked;
    if (days !== previous.retentionDays || (firstChoice && days === 0)) {
      await this.mustConfirm({
        title: 'Conservazione dei dati',
        message:
          days === 0
            ? 'Conservare per sempre documenti e dati personali delle pratiche concluse?'
            : `Eliminare documenti e dati personali delle pratiche concluse da più di ${span(days)}?`,
        detail:
          days === 0
            ? 'Nessuna pratica verrà più ripulita automaticamente.'
            : 'Le pratiche più vecchie vengono ripulite subito e poi ogni giorno; i dati eliminati non si possono recuperare.',
        confirm: 'Conferma',
      });
    }
  }

  /**
   * Where the requests go and whose account pays: refused towards an environment without
   * credentials (with the reason, for the page to say), else confirmed in main's dialog, which
   * says that Produzione's requests cost real money.
   */
  private async switchEnvironment(environment: Environment): Promise<void> {
    const name = ENVIRONMENT_NAMES[environment];
    if (!(await this.usable(environment)))
      throw new AppError('not_allowed', `Nessuna credenziale Openapi per ${name}: ambiente non cambiato`, {
        details: { reason: 'no_credentials', environment },
      });
    await this.mustConfirm(
      environment === 'produzione'
        ? {
            title: 'Ambiente di lavoro',
            message: 'Passare a Produzione?',
            detail:
              'Le pratiche inviate da ora partono davvero verso i CAF e i Patronati e costano denaro vero, addebitato sul conto Openapi dell’ufficio.',
            confirm: 'Passa a Produzione',
          }
        : environment === 'sandbox'
          ? {
              title: 'Ambiente di lavoro',
              message: 'Passare a Sandbox?',
              detail:
                'Le pratiche vanno al servizio di prova di Openapi: non partono davvero e usano il credito di prova del conto.',
              confirm: 'Passa a Sandbox',
            }
          : {
              title: 'Ambiente di lavoro',
              message: 'Passare a Prova?',
              detail:
                'Le pratiche vanno al simulatore integrato: non partono davvero, i documenti sono dimostrativi e il credito è simulato.',
              confirm: 'Passa a Prova',
            },
    );
  }

  /** A new or removed API key decides whose Openapi account pays: the clerk confirms it. */
  async confirmKeyChange(environment: Environment, change: 'set' | 'clear'): Promise<void> {
    const name = ENVIRONMENT_NAMES[environment];
    await this.mustConfirm(
      change === 'set'
        ? {
            title: 'Credenziali Openapi',
            message: `Usare le nuove credenziali Openapi per l’ambiente ${name}?`,
            detail:
              'Le pratiche di questo ambiente verranno inviate e addebitate sul conto Openapi di queste credenziali.',
            confirm: 'Usa le nuove credenziali',
          }
        : {
            title: 'Credenziali Openapi',
            message: `Rimuovere le credenziali Openapi dell’ambiente ${name}?`,
            detail: 'Senza credenziali le pratiche di questo ambiente non si possono inviare.',
            confirm: 'Rimuovi',
          },
    );
  }

  private async mustConfirm(request: Parameters<Dialogs['confirm']>[0]): Promise<void> {
    if (!(await this.dialogs.confirm(request))) throw declined();
  }
}
