import { ApiError } from '../../common/api-error.ts';
import type { AppErrorData } from '../../common/errors.ts';
import { i18next } from '../i18n/setup.ts';
import { euro, net } from './format.ts';

/** The Italian sentence for a failure: what happened and what to do. */
export function describeError(error: unknown): string {
  const data: AppErrorData | null =
    error instanceof ApiError
      ? { code: error.code, message: error.message, details: error.details, ambiguous: error.ambiguous }
      : isErrorData(error)
        ? error
        : null;
  if (!data) return i18next.t('errors.internal');
  const details = data.details ?? {};
  if (data.ambiguous && (data.code === 'network' || data.code === 'timeout' || data.code === 'server_error'))
    return i18next.t('errors.uncertain');
  const balance = typeof details.balance === 'number' ? euro(details.balance) : '—';
  const price = typeof details.price === 'number' ? net(details.price) : null;
  if (data.code === 'price_changed' && price) return i18next.t('errors.price_changed_to', { price });
  if (data.code === 'validation_failed' && details.fields && typeof details.fields === 'object') {
    const first = Object.values(details.fields as Record<string, { message?: string }>)[0];
    if (first?.message) return i18next.t('errors.validation_failed', { message: first.message });
  }
  const file = fileProblem(data.code, details);
  if (file) return file;
  if (data.code === 'keystore_unavailable' && typeof details.reason === 'string')
    return i18next.t(`errors.keystore.${details.reason}`, {
      defaultValue: i18next.t('errors.keystore_unavailable'),
    });
  // Messages written by the API (status, apiCode) or by the schema library are English and
  // technical: the clerk gets the Italian sentence for the code; the original stays in the log.
  const fromApi = 'status' in details || 'apiCode' in details;
  if (data.code === 'validation_failed' && fromApi) return i18next.t('errors.validation_failed_api');
  // 403: the token is valid but lacks this call's scope; 401: the token itself is refused.
  if (data.code === 'unauthorized' && details.status === 403) return i18next.t('errors.forbidden');
  if (data.code === 'invalid_argument' && /Argomenti non validi per|Canale sconosciuto/.test(data.message))
    return i18next.t('errors.invalid_argument_generic');
  return i18next.t(`errors.${data.code}`, { balance, message: data.message });
}

export function errorCode(error: unknown): string | null {
  if (error instanceof ApiError) return error.code;
  return isErrorData(error) ? error.code : null;
}

function isErrorData(value: unknown): value is AppErrorData {
  return !!value && typeof value === 'object' && 'code' in value && 'message' in value;
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

/**
 * What is wrong with one file, from the data main sends (reason, name, sizes): each bad file reads
 * its own problem ("è vuoto", "è danneggiata"), never one fixed text for all.
 */
function fileProblem(code: string, d: Record<string, unknown>): string | null {
  const name = typeof d.name === 'string' ? d.name : '';
  if (code === 'file_type') {
    const keys = typeof d.reason === 'string' ? FILE_TYPE_KEYS[d.reason] : undefined;
    const key = keys ? keys[d.kind === 'pdf' ? 1 : 0] : null;
    if (!key || !name) return null;
    return i18next.t(`errors.file.${key}`, { name, formats: list(d.accepted) });
  }
  if (code === 'file_too_large' && name) {
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
  if (code === 'budget_exceeded' && Array.isArray(d.documents)) {
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
  }
  return null;
}
