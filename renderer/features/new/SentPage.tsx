import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconPrinter } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { net } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { download } from '../requests/csv.ts';

/**
 * "Pratica inviata": what was sent and charged, the receipt for the client, and where to go next.
 * Reached with history replaced, so Back never returns to the form of a sent request.
 */
export function SentPage() {
  const { draftId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const request = useQuery({ queryKey: keys.request(draftId), queryFn: () => api.requests.get(draftId) });
  const receipt = useMutation({
    mutationFn: async (kind: 'print' | 'save') => {
      const pdf = await api.receipt.generate(draftId);
      if (kind === 'save') return download(pdf.name, pdf.data, 'application/pdf');
      const { printPdf } = await import('../../lib/pdf.ts');
      await printPdf(pdf.data, pdf.name);
    },
  });

  if (request.isError) return <ErrorAlert error={request.error} />;
  if (!request.data) return <Loader aria-label={t('app.loading')} />;
  const r = request.data;
  if (r.status === 'draft')
    return (
      <Stack maw={640}>
        <Alert color="orange">{t('sent.notSent')}</Alert>
        <Anchor href={`#/nuova/${r.id}`}>{t('draft.goToRequests')}</Anchor>
      </Stack>
    );

  return (
    <Stack maw={680} gap="md" data-testid="sent">
      <Group gap="sm">
        <IconCircleCheck size={36} color="var(--mantine-color-teal-8)" aria-hidden />
        <Title order={2}>{t('sent.title')}</Title>
      </Group>
      <Text>
        {t(r.environment === 'prova' ? 'sent.textProva' : 'sent.text', {
          service: r.serviceName,
          price: net(r.chargedPrice ?? r.confirmedPrice),
        })}
      </Text>
      <Group>
        <StatusBadge request={r} />
        {r.number && (
          <Text size="sm" data-testid="pratica-number">
            {t('sent.number', { number: r.number })}
          </Text>
        )}
      </Group>
      {r.emailTarget && <Text size="sm">{t('sent.email', { email: r.emailTarget })}</Text>}
      <Stack gap={4}>
        <Group>
          <Button
            leftSection={<IconPrinter size={18} aria-hidden />}
            loading={receipt.isPending && receipt.variables === 'print'}
            onClick={() => receipt.mutate('print')}
            autoFocus
          >
            {t('sent.receipt')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconDownload size={18} aria-hidden />}
            loading={receipt.isPending && receipt.variables === 'save'}
            onClick={() => receipt.mutate('save')}
          >
            {t('sent.receiptSave')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('sent.receiptHint')}
        </Text>
      </Stack>
      <ErrorAlert error={receipt.error} />
      <Group>
        <Button variant="light" onClick={() => void navigate(`/pratiche/${r.id}`)}>
          {r.awaitingChoice ? t('sent.chooseResult') : t('sent.openRequest')}
        </Button>
        {r.clientCf && (
          <Button
            variant="default"
            onClick={() => void navigate(`/nuova?cf=${encodeURIComponent(r.clientCf!)}`)}
          >
            {t('sent.anotherSameClient')}
          </Button>
        )}
        <Button variant="default" onClick={() => void navigate('/nuova')}>
          {t('sent.another')}
        </Button>
      </Group>
    </Stack>
  );
}
