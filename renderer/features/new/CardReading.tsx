import { Alert, Button, Text } from '@mantine/core';
import { IconBarcode } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CardBarcodeReading } from '../../../common/reading.ts';
import { day, groupCf } from '../../lib/format.ts';

/** What the card's barcode says, next to what the clerk typed: a proposal, or a mismatch to check. */
export function CardReading({
  reading,
  typed,
  onUse,
  onClose,
}: {
  reading: CardBarcodeReading;
  typed: string;
  onUse: (cf: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const icon = <IconBarcode size={18} />;
  if (!reading.valid) {
    return (
      <Alert color="orange" icon={icon} withCloseButton onClose={onClose} data-testid="card-reading">
        {t('card.invalid', { issue: reading.issue ?? reading.cf })}
      </Alert>
    );
  }
  const typedCf = typed.trim().toUpperCase();
  if (typedCf && typedCf !== reading.cf) {
    return (
      <Alert color="orange" icon={icon} withCloseButton onClose={onClose} data-testid="card-reading">
        {t('card.mismatch', { typed: groupCf(typedCf), cf: groupCf(reading.cf) })}
        <Button size="xs" variant="light" mt={6} display="block" onClick={() => onUse(reading.cf)}>
          {t('card.use')}
        </Button>
      </Alert>
    );
  }
  if (typedCf === reading.cf) return null;
  const born = reading.birthDate ? day(Date.parse(`${reading.birthDate}T12:00:00`)) : '';
  const who = [
    reading.sex === 'F' ? 'nata' : reading.sex === 'M' ? 'nato' : '',
    born && `il ${born}`,
    reading.placeName && `a ${reading.placeName}`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <Alert color="teal" icon={icon} withCloseButton onClose={onClose} data-testid="card-reading">
      <Text size="sm">{t('card.found', { cf: groupCf(reading.cf), who })}</Text>
      {reading.confidence !== 'high' && (
        <Text size="xs" c="dimmed">
          {t('card.doubtful')}
        </Text>
      )}
      <Button size="xs" mt={6} onClick={() => onUse(reading.cf)}>
        {t('card.use')}
      </Button>
    </Alert>
  );
}
