import type { ServiceDetail } from '../../common/catalog.ts';
import type { VisengineScope } from '../../common/credentials.ts';
import {
  outputsReportSchema,
  type AttachmentInfo,
  type Draft,
  type OutputsReport,
  type RequestDetail,
  type RequestSummary,
} from '../../common/requests.ts';
import { clerkState, type ClerkState } from '../../common/request-states.ts';
import { awaitingChoice, canCancel, canRetry, needsAttention } from './rules.ts';
import type { DocumentRow } from '../store/documents.ts';
import type { RequestRow } from '../store/request-row.ts';
import type { EventRow } from '../store/trail.ts';

/** What the renderer sees of a request row: derived flags, never a file's content. */
export function toSummary(row: RequestRow, documentCount: number): RequestSummary {
  const clientName = [row.clientCognome, row.clientNome].filter(Boolean).join(' ');
  return {
    id: row.id,
    environment: row.environment,
    remoteId: row.remoteId,
    serviceHash: row.serviceHash,
    serviceName: row.serviceName,
    clientName,
    clientCf: row.clientCf,
    status: row.status,
    state: stateOf(row),
    number: row.number,
    remoteState: row.remoteState,
    esito: row.remoteEsito,
    confirmedPrice: row.confirmedPrice,
    chargedPrice: row.chargedPrice,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submittedAt: row.submittedAt,
    completedAt: row.completedAt,
    documentsState: row.documentsState,
    documentCount,
    lastError: row.lastError,
    needsAttention: needsAttention(row),
    awaitingChoice: awaitingChoice(row),
    purged: row.purgedAt !== null,
    operator: row.operator,
    counter: row.counter,
  };
}

/** The clerk's word for where the request is (common/request-states.ts). */
export function stateOf(row: RequestRow): ClerkState {
  return clerkState({
    status: row.status,
    remoteState: row.remoteState,
    esito: row.remoteEsito,
    lastError: row.lastError,
    documentsState: row.documentsState,
    needsAttention: needsAttention(row),
  });
}

/**
 * Whether this counter can fetch a done request's outputs again when their recorded files are not
 * on its disk (another counter downloaded them: documents/service.ts): until retention purges them.
 */
export function refetchable(row: RequestRow): boolean {
  return row.status === 'done' && row.remoteId !== null && row.purgedAt === null;
}

export function toDetail(
  row: RequestRow,
  parts: {
    service: ServiceDetail | null;
    attachments: AttachmentInfo[];
    documents: DocumentRow[];
    events: EventRow[];
    /** Where each document is on this counter, for those whose recorded file is here. */
    here: ReadonlyMap<string, string>;
    /** The outputs' folder on this counter (from the row's recorded name). */
    archiveFolder: string | null;
    /** What its environment's credentials lack, and why DELETE cannot be tried there (services.ts). */
    missingScopes: VisengineScope[];
    deleteRefusal: RequestDetail['cancelBlocked'];
  },
): RequestDetail {
  const summary = toSummary(row, parts.documents.length);
  const fields = (parts.service?.fields ?? []).map((f) => {
    const value =
      f.tipo === 'file'
        ? parts.attachments
            .filter((a) => a.fieldKey === f.key)
            .map((a) => a.fileName)
            .join(', ')
        : // One rule for the codice fiscale on screen: in full, as in the header and the list (the
          // clerk serves this client); it is masked in log files only (main/log/redact.ts).
          (row.fields[f.key] ?? '');
    return { key: f.key, nome: f.nome, tipo: f.tipo, value };
  });
  const options = (parts.service?.opzioni ?? []).filter((o) => row.options.includes(o.nome));
  return {
    ...summary,
    fields,
    options,
    attachments: parts.attachments,
    documents: parts.documents.map((d) => ({
      id: d.id,
      fileName: d.fileName,
      kind: d.kind,
      size: d.size,
      path: parts.here.get(d.id) ?? '',
      available: parts.here.has(d.id) || refetchable(row),
    })),
    outputs: lastDownloadReport(parts.events),
    events: parts.events,
    search: row.search,
    archiveFolder: parts.archiveFolder,
    emailTarget: row.sendToClient ? row.clientEmail : null,
    clientPrice: row.clientPrice,
    canCancel: canCancel(row),
    cancelBlocked: canCancel(row) ? parts.deleteRefusal : null,
    missingScopes: parts.missingScopes,
    canRetry: canRetry(row),
    candidates: row.candidates ?? [],
  };
}

/**
 * What the last download said beyond its files (documents/service.ts writes it with the event):
 * the files left out and the signed files' contents. Nothing before a download, after a purge
 * (the trail keeps no file names) or from an event older than the report.
 */
function lastDownloadReport(events: EventRow[]): OutputsReport {
  const last = events.findLast((e) => e.kind === 'downloaded');
  const parsed = outputsReportSchema.safeParse({
    leftOut: last?.data?.['leftOut'] ?? [],
    signed: last?.data?.['signed'] ?? [],
  });
  return parsed.success ? parsed.data : { leftOut: [], signed: [] };
}

export function toDraft(row: RequestRow, attachments: AttachmentInfo[]): Draft {
  return {
    id: row.id,
    environment: row.environment,
    serviceHash: row.serviceHash,
    serviceName: row.serviceName,
    fields: row.fields,
    options: row.options,
    attachments,
    quote: row.quote,
    remoteId: row.remoteId,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    prefilled: row.prefilled ?? {},
    sendToClient: row.sendToClient,
  };
}
