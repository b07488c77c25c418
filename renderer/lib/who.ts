import { i18next } from '../i18n/setup.ts';

/*
 * Who did something and at which counter, in one phrase ("Anna Bianchi, sportello Ufficio-2"): the
 * trail, the duplicate warning and the list say it alike. Rows written before counters were
 * recorded have no counter (''), and some events no operator: each part shows only when known.
 */

/** "operator, sportello counter", either part left out when empty; '—' when both are. */
export function whoAndWhere(operator: string, counter: string): string {
  const parts = [
    operator.trim(),
    counter.trim() ? i18next.t('who.atCounter', { counter: counter.trim() }) : '',
  ];
  return parts.filter(Boolean).join(', ') || i18next.t('who.nobody');
}
