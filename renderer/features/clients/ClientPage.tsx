import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconFilePlus, IconFolder, IconLock } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { keys } from '../../lib/queries.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequestList } from '../../components/RequestList.tsx';
import { describeError } from '../../lib/errors.ts';
import { bytes, day, groupCf } from '../../lib/format.ts';
import { operatorOf } from '../../lib/who.ts';
import { RevokeConsent } from './RevokeConsent.tsx';

/** A client by codice fiscale: their requests, the outputs, the documents on file and the consent. */
export function ClientPage() {
  const { cf = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Asked afresh each time the page opens: whether this counter may open the documents on file
  // changes at another counter (a colleague's grant), which tells this one nothing.
  const client = useQuery({
    queryKey: keys.client(cf),
    queryFn: () => api.clients.get(cf),
    refetchOnMount: 'always',
  });
  const docAction = useMutation({
    mutationFn: async ({ kind, id }: { kind: 'open' | 'folder'; id: string }) =>
      kind === 'open' ? api.documents.open(id) : api.documents.showInFolder(id),
    onError: (error) =>
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 }),
  });

  if (client.isError) return <ErrorAlert error={client.error} />;
  if (!client.data) return <Loader aria-label={t('app.loading')} />;
  const c = client.data;
  const name = [c.cognome, c.nome].filter(Boolean).join(' ');
  if (!c.requests.length && !c.files.length && !c.consent)
    return (
      <Stack maw={700}>
        <Title order={2}>{groupCf(c.cf)}</Title>
        <Alert variant="light">{t('clients.unknown')}</Alert>
      </Stack>
    );

  return (
    <Stack maw={1000} gap="lg" data-testid="client-page">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {t('clients.title')}
          </Text>
          <Title order={2}>{name || groupCf(c.cf)}</Title>
          <Text ff="monospace">{groupCf(c.cf)}</Text>
          <Text size="sm" c="dimmed">
            {t('clients.contacts')}: {[c.phone, c.email].filter(Boolean).join(' · ') || '—'}
          </Text>
        </Stack>
        <Button
          leftSection={<IconFilePlus size={18} aria-hidden />}
          onClick={() => void navigate(`/nuova?cf=${encodeURIComponent(c.cf)}`)}
        >
          {t('clients.newRequest')}
        </Button>
      </Group>

      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('clients.requests')} ({c.requests.length})
        </Title>
        <RequestList rows={c.requests} empty="" />
      </Stack>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={3} size="h4" mb="xs">
            {t('clients.outputs')}
          </Title>
          {c.outputs.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('clients.noOutputs')}
            </Text>
          )}
          <Stack gap="xs">
            {c.outputs.map(({ document: d, serviceName }) => (
              <Paper key={d.id} withBorder radius="sm" p="xs">
                <Stack gap={4}>
                  <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                    {d.fileName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {serviceName} · {bytes(d.size)}
                    {!d.available ? ` · ${t('detail.missingFile')}` : ''}
                  </Text>
                  <Group gap={4}>
                    <Button
                      size="xs"
                      leftSection={<IconExternalLink size={14} aria-hidden />}
                      disabled={!d.available}
                      onClick={() => docAction.mutate({ kind: 'open', id: d.id })}
                      aria-label={`${t('detail.open')} ${d.fileName}`}
                    >
                      {t('detail.open')}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<IconFolder size={14} aria-hidden />}
                      disabled={!d.available}
                      onClick={() => docAction.mutate({ kind: 'folder', id: d.id })}
                      aria-label={`${t('detail.showInFolder')}: ${d.fileName}`}
                    >
                      {t('detail.showInFolder')}
                    </Button>
                  </Group>
                </Stack>
              </Paper>
            ))}
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="md" data-testid="client-files">
          <Title order={3} size="h4" mb="xs">
            <Group gap={6} component="span">
              <IconLock size={18} aria-hidden />
              {t('clients.files')}
            </Group>
          </Title>
          <Stack gap="xs">
            {c.files.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('clients.noFiles')}
              </Text>
            ) : (
              c.files.map((f) => (
                <Group key={f.id} justify="space-between" wrap="nowrap">
                  <Text size="sm">{t(`clients.fileKind.${f.kind}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {t('clients.fileUntil', { date: day(f.expiresAt) })}
                  </Text>
                </Group>
              ))
            )}
            {c.files.length > 0 && !c.filesReadable && (
              <Alert color="orange" variant="light" data-testid="files-not-granted">
                {t('errors.documents_not_granted')}
              </Alert>
            )}
            <Text size="sm">
              {c.consent
                ? t('clients.consentOn', {
                    date: day(c.consent.grantedAt),
                    operator: operatorOf(c.consent.operator),
                  })
                : t('clients.consentOff')}
            </Text>
            {(c.consent || c.files.length > 0) && (
              <Group>
                <RevokeConsent cf={c.cf} requestId={null} />
              </Group>
            )}
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
