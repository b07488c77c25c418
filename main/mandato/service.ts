import { clientOf } from '../../common/form.ts';
import type { GeneratedPdf } from '../../common/scanning.ts';
import { lookupPlace } from '../../common/validators/belfiore.ts';
import { checkCodiceFiscale } from '../../common/validators/codiceFiscale.ts';
import { sanitizeFileName } from '../../common/validators/fileString.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError } from '../errors.ts';
import { mandatoCodeText } from '../reading/mandato-code.ts';
import type { Register } from '../store/port.ts';
import type { PreferencesService } from '../settings/preferences.ts';
import { generateMandato } from './mandato.ts';

export interface MandatoServiceDeps {
  store: Register;
  catalog: CatalogService;
  preferences: PreferencesService;
  now: () => number;
  /** Until when the client's documents would be kept on file (their consent), or null: the mandato says so. */
  keepUntil?: ((cf: string) => Promise<number | null>) | undefined;
}

/** The "mandato di assistenza e rappresentanza" for a draft's client, prefilled to print and sign. */
export class MandatoService {
  private readonly d: MandatoServiceDeps;

  constructor(deps: MandatoServiceDeps) {
    this.d = deps;
  }

  async forDraft(draftId: string): Promise<GeneratedPdf> {
    const row = await this.d.store.requests.get(draftId);
    if (!row) throw new AppError('draft_not_found', `Bozza ${draftId} non trovata`);
    const service = await this.d.catalog.detail(row.environment, row.serviceHash);
    const client = clientOf(service.fields, row.fields);
    if (!client.nome || !client.cognome) {
      throw new AppError(
        'validation_failed',
        'Per il mandato servono nome e cognome dell’assistito: compilateli nel modulo',
        { details: { purpose: 'mandato', fields: ['nome', 'cognome'] } },
      );
    }
    if (!client.codiceFiscale) {
      throw new AppError(
        'validation_failed',
        'Per il mandato serve il codice fiscale dell’assistito: compilatelo nel modulo',
        { details: { purpose: 'mandato', fields: ['codiceFiscale'] } },
      );
    }
    const cf = client.codiceFiscale.replace(/\s+/g, '').toUpperCase();
    const check = checkCodiceFiscale(cf);
    if (!check.ok) {
      throw new AppError(
        'validation_failed',
        `Il codice fiscale dell’assistito non è valido: ${check.issue.message}`,
        { details: { purpose: 'mandato', fields: ['codiceFiscale'], issue: check.issue } },
      );
    }
    const birthPlace =
      check.info?.kind === 'persona' ? await lookupPlace(check.info.placeCode).catch(() => null) : null;
    const prefs = this.d.preferences.get();
    const keepUntil = await this.d.keepUntil?.(cf);
    const data = await generateMandato({
      office: { name: prefs.officeName, operator: prefs.operatorName },
      client: {
        nome: client.nome,
        cognome: client.cognome,
        codiceFiscale: client.codiceFiscale,
        email: client.email,
        phone: client.phone,
        birthPlace,
      },
      service: { name: row.serviceName },
      date: new Date(this.d.now()),
      keepDocuments: keepUntil === null || keepUntil === undefined ? null : { until: new Date(keepUntil) },
      // Its scan comes back to this draft by the code, whatever the file is called.
      code: mandatoCodeText(row.id, cf),
    });
    return { name: sanitizeFileName(`Mandato ${client.cognome} ${client.nome}.pdf`), data };
  }
}
