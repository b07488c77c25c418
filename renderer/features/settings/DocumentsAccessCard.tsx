import { Alert, Badge, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FilesAccess } from '../../../common/clients.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { describeError } from '../../lib/errors.ts';
import { day } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';

/**
 * Impostazioni → Ufficio, who may open the clients' documents on file: this counter's key
 * fingerprint (what a colleague compares before granting), and the other counters of the register
 * with a button to grant them — main asks the clerk to confirm in its own dialog, showing the same
 * fingerprint; the page cannot grant by itself.
 */
export function DocumentsAccessCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const access = useQuery({ queryKey: keys.filesAccess, queryFn: () => api.clients.filesAccess() });
  const grant = useMutation({
    mutationFn: (counter: FilesAccess['counters'][number]) => api.clients.grantFilesAccess(counter.counterId),
    onSuccess: (next, counter) => {
      client.setQueryData(keys.filesAccess, next);
      void client.invalidateQueries({ queryKey: keys.clients });
      notifications.show({ color: 'teal', message: t('settings.documents.granted', { name: counter.name }) });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeError(error) }),
  });
  if (access.error) return <ErrorAlert error={access.error} />;
  if (!access.data) return null;
  const { self, counters } = access.data;
  const ready = self.state === 'granted' || self.state === 'first';

  return (
    <Paper withBorder radius="md" p="md" data-testid="documents-access">
      <Stack gap="sm">
        <Title order={4}>{t('settings.documents.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.documents.help')}
        </Text>
        {self.fingerprint && (
          <Group gap="xs">
            <Text size="sm">{t('settings.documents.self', { name: self.name })}</Text>
            <Code data-testid="own-fingerprint">{self.fingerprint}</Code>
          </Group>
        )}
        <Alert color={ready ? 'teal' : 'orange'} role="status" data-testid="documents-state">
          {t(`settings.documents.state.${self.state}`)}
        </Alert>
        {self.state !== 'unavailable' && (
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              {t('settings.documents.others')}
            </Text>
            {counters.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('settings.documents.none')}
              </Text>
            )}
            {counters.map((c) => (
              <Group key={c.counterId} justify="space-between" wrap="nowrap" data-testid="counter-access">
                <Stack gap={0}>
                  <Group gap="xs">
                    <Text size="sm" fw={500}>
                      {c.name}
                    </Text>
                    <Badge color={c.granted ? 'teal' : 'gray'} variant="light">
                      {c.granted ? t('settings.documents.hasAccess') : t('settings.documents.waitingAccess')}
                    </Badge>
                  </Group>
                  <Group gap="xs">
                    <Code>{c.fingerprint}</Code>
                    <Text size="xs" c="dimmed">
                      {t('settings.documents.since', { date: day(c.publishedAt) })}
                    </Text>
                  </Group>
                </Stack>
                {c.canGrant && (
                  <Button
                    variant="light"
                    title={t('settings.documents.grantHelp', { name: c.name })}
                    loading={grant.isPending && grant.variables?.counterId === c.counterId}
                    onClick={() => grant.mutate(c)}
                  >
                    {t('settings.documents.grant')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
