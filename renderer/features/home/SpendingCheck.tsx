import { Paper, Stack, Text, Group } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Spending } from '../../../common/credentials.ts';
import { api } from '../../api.ts';
import { day, euro, net } from '../../lib/format.ts';

/**
 * This counter's token spent a different amount from what its log says it was charged (its own
 * token, so the two should agree): shown on Home until they agree again. Nothing when they do, or
 * when there is nothing to compare (Prova, a ready token).
 */
export function SpendingCheck() {
  const spending = useQuery({
    queryKey: ['settings.spending'],
    queryFn: () => api.settings.spending(),
    refetchInterval: 60_000,
  });
  if (spending.data?.status !== 'mismatch') return null;
  return <Mismatch spending={spending.data} />;
}

function Mismatch({ spending: s }: { spending: Spending }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="sm" data-testid="spending-mismatch">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <IconAlertTriangle size={20} color="var(--mantine-color-orange-7)" aria-hidden />
        <Stack gap={2}>
          <Text fw={600}>{t('spending.title')}</Text>
          <Text size="sm">
            {t('spending.mismatch', {
              since: day(s.since),
              counter: s.counter,
              token: euro(s.token?.amount),
              tokenRequests: t('spending.charges', { count: s.token?.requests ?? 0 }),
              log: net(s.log.amount),
              logRequests: t('spending.requests', { count: s.log.requests }),
            })}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
