import { ApiError, type AppErrorData } from '../../common/errors.ts';
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
