import { i18next } from '../i18n/setup.ts';

/*
 * Who did something and at which counter, in one phrase ("Anna Bianchi, sportello Ufficio-2"): the
 * trail, the duplicate warning and the list say it alike. Rows written before counters were
 * recorded have no counter (''); a counter whose clerk never gave a name records no operator: that
 * is said in words («Operatore non indicato»), never a bare dash.
 */

/** The operator's name, or «Operatore non indicato» when the counter had none set. */
export function operatorOf(operator: string): string {
  return operator.trim() || i18next.t('who.noOperator');
}

/** The counter's name, or «Sportello non indicato» (rows written before counters were recorded). */
export function counterOf(counter: string): string {
  return counter.trim() || i18next.t('who.noCounter');
}

/** "operator, sportello counter": the operator always (named or said not to be), the counter when known. */
export function whoAndWhere(operator: string, counter: string): string {
  return [operatorOf(operator), counter.trim() ? i18next.t('who.atCounter', { counter: counter.trim() }) : '']
    .filter(Boolean)
    .join(', ');
}
