import { Alert, Button, Text } from '@mantine/core';
import { IconId } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DocumentIdentity } from '../../../common/reading.ts';
import { day } from '../../lib/format.ts';

const dayOf = (iso: string | null) => (iso ? day(Date.parse(`${iso}T12:00:00`)) : '—');

/**
 * What an identity document's MRZ said of its holder (every check digit valid), how many fields it
 * filled, and where it disagrees with what the clerk typed: those the clerk takes in one click.
 */
export function HolderReading({
  holder,
  filled,
  differs,
  onUse,
  onClose,
  today,
}: {
  holder: DocumentIdentity;
  filled: number;
  /** Names of the fields where the document says otherwise than the form. */
  differs: string[];
  onUse: () => void;
  onClose: () => void;
  /** yyyy-mm-dd, to tell an expired document. */
  today: string;
}) {
  const { t } = useTranslation();
  const who = [
    [holder.cognome, holder.nome].filter(Boolean).join(' '),
    holder.birthDate &&
      t('holder.born', {
        sex: holder.sex === 'F' ? 'nata' : holder.sex === 'M' ? 'nato' : 'nato/a',
        date: dayOf(holder.birthDate),
      }),
    t('holder.number', {
      document: t(`holder.document.${holder.document}`),
      number: holder.documentNumber,
      expiry: dayOf(holder.expiry),
    }),
  ]
    .filter(Boolean)
    .join(', ');
  const expired = holder.expiry !== null && holder.expiry < today;
  return (
    <Alert
      color={differs.length || expired ? 'orange' : 'teal'}
      icon={<IconId size={18} aria-hidden />}
      withCloseButton
      onClose={onClose}
      data-testid="holder-reading"
    >
      <Text size="sm">{t('holder.found', { who })}</Text>
      {!holder.cognome && (
        <Text size="sm" c="orange.9">
          {t('holder.noNames')}
        </Text>
      )}
      {filled > 0 && <Text size="sm">{t('holder.filled', { count: filled })}</Text>}
      {expired && (
        <Text size="sm" c="orange.9">
          {t('holder.expired', { date: dayOf(holder.expiry) })}
        </Text>
      )}
      {differs.length > 0 && (
        <>
          <Text size="sm" c="orange.9">
            {t('holder.differs', { fields: differs.join(', ') })}
          </Text>
          <Button size="xs" variant="light" mt={6} onClick={onUse}>
            {t('holder.use')}
          </Button>
        </>
      )}
    </Alert>
  );
}
