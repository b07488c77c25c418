import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatPraticaNumber } from '../../../common/pratica-number.ts';

/**
 * The start of the pratica numbers ("RM1"): letters and digits only, upper case, at most 6,
 * with the number it gives shown as the clerk types.
 */
export function PrefixInput({
  value,
  onChange,
  autoFocus,
  required,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
  required?: boolean;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const example = formatPraticaNumber(value || 'RM1', new Date().getFullYear(), 123);
  return (
    <TextInput
      label={t('settings.numberPrefix')}
      description={t('settings.numberPrefixHelp', { example })}
      maxLength={6}
      autoFocus={autoFocus}
      required={required}
      error={error}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.toUpperCase().replace(/[^A-Z0-9]/g, ''))}
      data-testid="number-prefix"
    />
  );
}
