import { refused, stateForClient } from '../../common/request-states.ts';
import type { GeneratedPdf } from '../../common/scanning.ts';
import { clientPriceOf } from '../../common/settings.ts';
import { sanitizeFileName } from '../../common/validators/fileString.ts';
import type { CatalogService } from '../catalog/catalog.ts';
import { AppError } from '../errors.ts';
import type { Register } from '../store/port.ts';
import type { PreferencesService } from '../settings/preferences.ts';
import { generateReceipt } from './receipt.ts';

/** The receipt of a sent request, from what the log holds; each one made is written in the trail. */
export class Receipts {
  private readonly d: {
    store: Register;
    catalog: CatalogService;
    preferences: PreferencesService;
    operator: () => string;
  };

  constructor(deps: Receipts['d']) {
    this.d = deps;
  }

  async generate(requestId: string): Promise<GeneratedPdf> {
    const row = await this.d.store.requests.get(requestId);
    if (!row) throw new AppError('request_not_found', `Pratica ${requestId} non trovata`);
    if (row.status === 'draft' || row.submittedAt === null) {
      throw new AppError('not_allowed', 'La ricevuta si stampa quando la pratica è stata inviata', {
        details: { reason: 'not_sent' },
      });
    }
    const service = (await this.d.catalog.cachedDetail(row.environment, row.serviceHash))?.detail ?? null;
    const parts = await this.d.store.attachments.of(row.id);
    const fileFields = service?.fields.filter((f) => f.tipo === 'file') ?? [];
    const byField = [...new Set(parts.map((p) => p.fieldKey))].map((key) => ({
      label: prettify(fileFields.find((f) => f.key === key)?.nome ?? key),
      files: parts.filter((p) => p.fieldKey === key).map((p) => p.fileName),
    }));
    const prefs = this.d.preferences.get();
    const name = [row.clientCognome, row.clientNome].filter(Boolean).join(' ');
    // Every request that left the draft has one (given then, or by migration 017); this is a
    // fallback for a row that somehow has none, still unique and short.
    const number = row.number ?? row.id.slice(0, 8).toUpperCase();
    const data = await generateReceipt({
      office: {
        name: prefs.officeName,
        address: prefs.officeAddress,
        operator: row.operator || prefs.operatorName,
      },
      client: { name, codiceFiscale: row.clientCf },
      service: row.serviceName,
      sentAt: new Date(row.submittedAt),
      number,
      state: stateForClient({
        status: row.status,
        remoteState: row.remoteState,
        esito: row.remoteEsito,
        lastError: row.lastError,
        documentsState: row.documentsState,
        needsAttention: false,
      }),
      refusal: refused(row.remoteEsito) ? (row.remoteEsito?.info ?? null) : null,
      attachments: byField,
      // As set when it was sent; a request sent before the office set prices: today's price.
      clientPrice: row.clientPrice ?? clientPriceOf(prefs, row.serviceHash),
      cost: prefs.receiptShowsCost ? (row.chargedPrice ?? row.confirmedPrice) : null,
      emailTarget: row.sendToClient ? row.clientEmail : null,
      phone: row.clientPhone,
      test: row.environment === 'prova',
    });
    await this.d.store.trail.add(row.id, 'receipt_printed', this.d.operator());
    return { name: sanitizeFileName(`Ricevuta ${number} ${name || row.serviceName}.pdf`), data };
  }
}

/** "COPIA DOCUMENTO D`IDENTITÀ FRONTE RETRO" → "Copia documento d’identità fronte retro". */
function prettify(nome: string): string {
  const cleaned = nome.replace(/[`´]/g, '’').replace(/\s+/g, ' ').trim();
  if (cleaned !== cleaned.toUpperCase()) return cleaned;
  const lower = cleaned.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}
