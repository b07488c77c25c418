import { ApiError } from '../../common/api-error.ts';
import type { AppErrorData } from '../../common/errors.ts';
import type { ScannerBackend } from '../../common/scanning.ts';
import { i18next } from '../i18n/setup.ts';
import { euro, net } from './format.ts';

/*
 * The clerk's sentence for a failure, from what main sends as data: the code and its details (a
 * reason, a field, a file's name and sizes). `message` is main's technical text for the log and is
 * never read here: a sentence never depends on how main happened to word it.
 */

type Details = Record<string, unknown>;

/** The Italian sentence for a failure: what happened and what to do. */
export function describeError(error: unknown): string {
  const data = errorData(error);
  if (!data) return i18next.t('errors.internal');
  const details = data.details ?? {};
  if (data.ambiguous && (data.code === 'network' || data.code === 'timeout' || data.code === 'server_error'))
    return i18next.t('errors.uncertain');
  return WORDING[data.code]?.(details) ?? i18next.t(`errors.${data.code}`, { defaultValue: internal() });
}

export function errorCode(error: unknown): string | null {
  return errorData(error)?.code ?? null;
}

const BACKENDS: Record<ScannerBackend, string> = { sane: 'SANE', wia: 'WIA', escl: 'eSCL' };

/** Why a backend found no scanner, for the scanner dialog: from its backend and reason. */
export function describeScanProblem(problem: { backend: ScannerBackend; reason: string }): string {
  const own = reasonOf({ reason: problem.reason });
  const specific = own ? i18next.t(`scan.problem.${problem.backend}.${own}`, { defaultValue: '' }) : '';
  return `${BACKENDS[problem.backend]}: ${specific || scannerSentence(own)}`;
}

function errorData(error: unknown): Pick<AppErrorData, 'code' | 'details' | 'ambiguous'> | null {
  if (error instanceof ApiError) return error;
  if (!!error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error as AppErrorData;
  return null;
}

const internal = () => i18next.t('errors.internal');

/** A reason main gave, when it is one: a short snake_case word, never free text. */
const reasonOf = (details: Details): string | null =>
  typeof details.reason === 'string' && /^[a-z_]{1,40}$/.test(details.reason) ? details.reason : null;

/** The sentence for `reason` under `group`, or the fallback when there is none for it. */
const byReason = (group: string, details: Details, fallback: string, values: Details = {}) => {
  const reason = reasonOf(details);
  return reason ? i18next.t(`${group}.${reason}`, { ...values, defaultValue: fallback }) : fallback;
};

const scannerSentence = (reason: string | null) =>
  byReason('errors.scanner', { reason }, i18next.t('errors.scanner_unavailable'));

/** Per code, the sentence from the details; null (or no entry) for the code's own sentence. */
const WORDING: Partial<Record<AppErrorData['code'], (d: Details) => string | null>> = {
  insufficient_credit: (d) =>
    i18next.t('errors.insufficient_credit', {
      balance: typeof d.balance === 'number' ? euro(d.balance) : '—',
    }),
  // 403: the token is valid but lacks this call's scope; 401: the token itself is refused.
  unauthorized: (d) => (d.status === 403 ? i18next.t('errors.forbidden') : null),
  // Not tried: which scope, and what lacking it blocks.
  // (The scope's name is checked by its shape: common/credentials.ts would bring zod into the first load.)
  scope_missing: (d) => {
    const scope = typeof d.scope === 'string' && /^[A-Z]+ \/[a-z]+$/.test(d.scope) ? d.scope : null;
    const blocks = scope ? i18next.t(`settings.scopeBlocks.${scope}`, { defaultValue: '' }) : '';
    return scope && blocks
      ? i18next.t('errors.scope_missing', { scope, blocks })
      : i18next.t('errors.forbidden');
  },
  // Another counter of the office: named when main knows it (the counter that created the request).
  claimed_elsewhere: (d) =>
    typeof d.counter === 'string' && d.counter
      ? i18next.t('errors.claimed_elsewhere_at', { counter: d.counter })
      : null,
  files_elsewhere: (d) =>
    typeof d.counter === 'string' && d.counter
      ? i18next.t('errors.files_elsewhere_at', { counter: d.counter })
      : null,
  price_changed: (d) =>
    typeof d.price === 'number'
      ? i18next.t('errors.price_changed_to', { price: net(d.price) })
      : reasonOf(d) === 'data_changed'
        ? i18next.t('errors.price_changed_data')
        : null,
  validation_failed: validationProblem,
  invalid_argument: (d) => {
    if (d.setting === 'esclScanners')
      return byReason('errors.scannerAddress', d, i18next.t('errors.invalid_argument'), {
        host: typeof d.host === 'string' ? d.host : '—',
      });
    if (d.setting === 'office' || d.setting === 'caFile')
      return byReason('errors.office', d, i18next.t('errors.invalid_argument'));
    if (typeof d.setting === 'string')
      return byReason('errors.folder', d, i18next.t('errors.invalid_argument'));
    if (reasonOf(d) === 'unsupported') return scannerSentence('unsupported');
    return byReason('errors.invalid', d, i18next.t('errors.invalid_argument'));
  },
  // The kept password and the server it was kept for: the clerk types it again.
  office_password_bound: (d) =>
    typeof d.host === 'string' && typeof d.port === 'number'
      ? i18next.t('errors.office_password_bound', {
          host: d.host,
          port: d.port,
          database: typeof d.database === 'string' ? d.database : '—',
          user: typeof d.user === 'string' ? d.user : '—',
          tls: i18next.t(
            d.tls === 'verify-full' ? 'settings.register.tlsWordOn' : 'settings.register.tlsWordOff',
          ),
        })
      : i18next.t('errors.office_password_unbound'),
  not_found: (d) => byReason('errors.notFound', d, i18next.t('errors.not_found')),
  not_allowed: (d) =>
    byReason('errors.notAllowed', d, i18next.t('errors.not_allowed'), {
      // The environment a refused switch was towards (no_credentials): by its name.
      env:
        typeof d.environment === 'string' && /^(prova|sandbox|produzione)$/.test(d.environment)
          ? i18next.t(`env.${d.environment}`)
          : '—',
    }),
  scanner_unavailable: (d) => scannerSentence(reasonOf(d)),
  keystore_unavailable: (d) => byReason('errors.keystore', d, i18next.t('errors.keystore_unavailable')),
  file_type: fileTypeProblem,
  file_too_large: fileSizeProblem,
  budget_exceeded: budgetProblem,
};

/** Names of the client's data a form may lack, as the mandato asks for them. */
const CLIENT_DATA = new Set(['nome', 'cognome', 'codiceFiscale']);

function validationProblem(d: Details): string {
  // Refusals from the API (they carry its status): its English text stays in the log.
  if ('status' in d || 'apiCode' in d) {
    const fields = d.fields && typeof d.fields === 'object' && !Array.isArray(d.fields) ? d.fields : {};
    return Object.keys(fields).some((k) => /^\$\d+$/.test(k))
      ? i18next.t('errors.validation_failed_fields')
      : i18next.t('errors.validation_failed_api');
  }
  const issue = issueOf(d.issue);
  if (d.purpose === 'mandato') {
    const fields = Array.isArray(d.fields) ? d.fields.filter((f) => CLIENT_DATA.has(f as string)) : [];
    if (issue) return i18next.t('errors.validation.mandatoCfInvalid', { issue });
    if (fields.includes('codiceFiscale')) return i18next.t('errors.validation.mandatoCf');
    return i18next.t('errors.validation.mandatoName');
  }
  // The form's own check, run again in main: each refused field carries the validator's issue.
  const fields = d.fields && typeof d.fields === 'object' && !Array.isArray(d.fields) ? d.fields : {};
  const first = Object.values(fields).map(issueOf).find(Boolean);
  if (first) return i18next.t('errors.validation.field', { issue: first });
  if (Array.isArray(d.missing) && d.missing.length) return i18next.t('errors.validation.incomplete');
  return i18next.t('errors.validation_failed');
}

/** A validator's issue (common/validators: code, Italian message, params) as text; null if none. */
function issueOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' && message ? message : null;
}

const MB = 1024 * 1024;
/** "4 MB", "15,3 MB", rounded up: a file just over a limit never reads as weighing the limit. */
const megabytes = (bytes: unknown) =>
  typeof bytes === 'number'
    ? `${new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 }).format(Math.ceil((bytes / MB) * 10) / 10)} MB`
    : '—';

/** "PDF, JPEG e AVIF". */
function list(items: unknown): string {
  const names = Array.isArray(items) ? items.filter((i): i is string => typeof i === 'string') : [];
  if (names.length < 2) return names.join('');
  return `${names.slice(0, -1).join(', ')} e ${names.at(-1)}`;
}

/** i18n keys under errors.file by main's reason: [any file, a PDF]. */
const FILE_TYPE_KEYS: Record<string, [string, string]> = {
  empty: ['empty', 'emptyPdf'],
  damaged: ['damagedImage', 'damagedPdf'],
  encrypted: ['encrypted', 'encrypted'],
  unknown: ['unknown', 'unknown'],
  heic_unsupported: ['heicUnsupported', 'heicUnsupported'],
  unreadable: ['unreadable', 'unreadable'],
};

const nameOf = (d: Details) => (typeof d.name === 'string' ? d.name : '');

/**
 * What is wrong with one file, from the data main sends (reason, name, sizes): each bad file reads
 * its own problem ("è vuoto", "è danneggiata"), never one fixed text for all.
 */
function fileTypeProblem(d: Details): string | null {
  const name = nameOf(d);
  const keys = typeof d.reason === 'string' ? FILE_TYPE_KEYS[d.reason] : undefined;
  const key = keys ? keys[d.kind === 'pdf' ? 1 : 0] : null;
  if (!key || !name) return null;
  return i18next.t(`errors.file.${key}`, { name, formats: list(d.accepted) });
}

function fileSizeProblem(d: Details): string | null {
  const name = nameOf(d);
  if (!name) return null;
  if (d.measure === 'pixels')
    return i18next.t('errors.file.tooManyPixels', {
      name,
      size: `${String(d.width)}×${String(d.height)}`,
      limit: typeof d.limit === 'number' ? Math.round(d.limit / 1_000_000) : '—',
    });
  if (d.measure === 'pages')
    return i18next.t('errors.file.tooManyPages', { name, pages: d.pages, limit: d.limit });
  return i18next.t('errors.file.tooLarge', { name, size: megabytes(d.size), limit: megabytes(d.limit) });
}

function budgetProblem(d: Details): string | null {
  if (!Array.isArray(d.documents)) return null;
  const docs = d.documents as { name?: string; bytes?: number }[];
  if (d.scope === 'document' && docs[0]?.name)
    return i18next.t('errors.file.documentTooLarge', {
      name: docs[0].name,
      size: megabytes(docs[0].bytes),
      limit: megabytes(d.limit),
    });
  if (d.scope === 'request')
    return i18next.t('errors.file.requestTooLarge', {
      total: megabytes(d.total),
      limit: megabytes(d.limit),
      heaviest: docs.map((doc) => `«${doc.name ?? ''}» (${megabytes(doc.bytes)})`).join(', '),
    });
  return null;
}
