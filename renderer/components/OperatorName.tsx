import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { operatorOf } from '../lib/who.ts';

/** Where the operator's name is set: Impostazioni, with that field in focus. */
export const OPERATOR_SETTING = '#/impostazioni?campo=operatore';

/**
 * The operator who did something: their name, or «Operatore non indicato» with the way to
 * Impostazioni where it is set — never a bare dash.
 */
export function OperatorName({ operator }: { operator: string }) {
  const { t } = useTranslation();
  if (operator.trim()) return <>{operator.trim()}</>;
  return (
    <Text component="span" inherit data-testid="operator-unset">
      {operatorOf(operator)} ·{' '}
      <Anchor href={OPERATOR_SETTING} inherit>
        {t('who.setOperator')}
      </Anchor>
    </Text>
  );
}
