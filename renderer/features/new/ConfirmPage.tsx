import {
  Alert,
  Anchor,
  Button,
  Divider,
  Group,
  Loader,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowLeft, IconCircleCheck, IconSend } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { clientOf } from '../../../common/form.ts';
import type { RequestSummary } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { errorCode } from '../../lib/errors.ts';
import { IVA_RATE, withIva } from '../../../common/money.ts';
import { bytes, euro, groupCf, net, prettifyName } from '../../lib/format.ts';

const ivaPercent = Math.round(IVA_RATE * 100);
import { keys } from '../../lib/queries.ts';
import { optionLabel } from './DraftPage.tsx';

/** The last step: the price checked with the API, what will be sent, one button to send it. */
export function ConfirmPage() {
  const { draftId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [sent, setSent] = useState<RequestSummary | null>(null);
  // Whether a failed submission left the request on the service (open, uncertain, to verify): then
  // what is left to do is on its own page. A refusal before anything was created keeps the draft.
  const [leftDraft, setLeftDraft] = useState(false);
  const draft = useQuery({
    queryKey: keys.draft(draftId),
    queryFn: () => api.drafts.get(draftId),
    enabled: !sent,
  });
  const detail = useQuery({
    queryKey: keys.detail(draft.data?.serviceHash ?? ''),
    queryFn: () => api.catalog.detail(draft.data!.serviceHash),
    enabled: !!draft.data,
  });
  const quote = useMutation({ mutationFn: () => api.requests.quote(draftId) });
  const submit = useMutation({
    mutationFn: (total: number) => api.requests.submit(draftId, total),
    onMutate: () => setLeftDraft(false),
    onSuccess: (summary) => {
      setSent(summary);
      void client.invalidateQueries({ queryKey: keys.home });
      void client.invalidateQueries({ queryKey: keys.requests });
    },
    onError: () => {
      void api.drafts.get(draftId).then(
        () => setLeftDraft(false),
        (error: unknown) => setLeftDraft(errorCode(error) === 'draft_not_found'),
      );
      void client.invalidateQueries({ queryKey: keys.home });
    },
  });

  const { mutate: runQuote } = quote;
  useEffect(() => runQuote(), [runQuote, draftId]);

  if (sent) return <Sent summary={sent} />;
  if (draft.isError) {
    // Already sent (from another window, or a moment ago): the request has its own page.
    return (
      <Stack maw={700}>
        <ErrorAlert error={draft.error} />
        {errorCode(draft.error) === 'draft_not_found' && (
          <Anchor href={`#/pratiche/${draftId}`}>{t('confirm.openRequest')}</Anchor>
        )}
      </Stack>
    );
  }
  if (!draft.data || !detail.data) return <Loader />;

  const service = detail.data;
  const who = clientOf(service.fields, draft.data.fields);
  const total = quote.data?.total ?? null;
  const submitCode = errorCode(submit.error);
  const movedOn = submit.isError && leftDraft;

  return (
    <Stack maw={760} gap="lg">
      <Anchor href={`#/nuova/${draftId}`} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} /> {t('confirm.back')}
        </Group>
      </Anchor>
      <Title order={2}>{t('confirm.title')}</Title>
      <Paper withBorder radius="md" p="md">
        <Stack gap="xs">
          <Text fw={600}>{service.nome}</Text>
          <Text data-testid="confirm-client">
            {[who.cognome, who.nome].filter(Boolean).join(' ')}
            {who.codiceFiscale ? ` · ${groupCf(who.codiceFiscale)}` : ''}
          </Text>
          {(who.email || who.phone) && (
            <Text size="sm" c="dimmed">
              {[who.email, who.phone].filter(Boolean).join(' · ')}
            </Text>
          )}
          <Divider my={4} />
          <Text size="sm" fw={600}>
            {t('confirm.files')}
          </Text>
          {service.fields
            .filter((f) => f.tipo === 'file')
            .map((f) => {
              const parts = draft.data.attachments.filter((a) => a.fieldKey === f.key);
              return (
                <Group key={f.key} justify="space-between">
                  <Text size="sm">{prettifyName(f.nome)}</Text>
                  <Text size="sm" c={parts.length ? undefined : 'dimmed'}>
                    {parts.length
                      ? `${parts.map((p) => p.fileName).join(' + ')} (${bytes(parts.reduce((n, p) => n + p.size, 0))})`
                      : t('confirm.noFile')}
                  </Text>
                </Group>
              );
            })}
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md" data-testid="price">
        {quote.isPending && (
          <Group gap="xs">
            <Loader size="sm" />
            <Text>{t('confirm.checkingPrice')}</Text>
          </Group>
        )}
        {quote.isError && (
          <Stack>
            <ErrorAlert error={quote.error} title={t('confirm.priceFailed')} />
            <Group>
              <Button variant="default" onClick={() => void navigate(`/nuova/${draftId}`)}>
                {t('confirm.backToForm')}
              </Button>
              <Button variant="light" onClick={() => quote.mutate()}>
                {t('common.retry')}
              </Button>
            </Group>
          </Stack>
        )}
        {quote.data && (
          <Table withRowBorders={false} fz="md">
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>{t('confirm.base')}</Table.Td>
                <Table.Td ta="right">{euro(quote.data.base)}</Table.Td>
              </Table.Tr>
              {quote.data.ricerca > 0 && (
                <Table.Tr>
                  <Table.Td>{t('confirm.search')}</Table.Td>
                  <Table.Td ta="right">{euro(quote.data.ricerca)}</Table.Td>
                </Table.Tr>
              )}
              {quote.data.options.map((o) => (
                <Table.Tr key={o.nome}>
                  <Table.Td>{optionLabel(t, o.tipo)}</Table.Td>
                  <Table.Td ta="right">{euro(o.prezzo)}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td>{t('confirm.imponibile')}</Table.Td>
                <Table.Td ta="right" data-testid="total">
                  {euro(quote.data.total)}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('confirm.iva', { rate: ivaPercent })}</Table.Td>
                <Table.Td ta="right">{euro(withIva(quote.data.total).iva)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td fw={700}>{t('confirm.totalGross')}</Table.Td>
                <Table.Td ta="right" fw={700} data-testid="total-gross">
                  {euro(withIva(quote.data.total).totale)}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      {submit.isPending && (
        <Stack gap={4} role="status">
          <Text>{t('confirm.sending')}</Text>
          <Progress value={100} animated striped />
        </Stack>
      )}
      {submit.isError && (
        <ErrorAlert error={submit.error} title={t('confirm.sendFailed')}>
          {movedOn && (
            <Anchor href={`#/pratiche/${draftId}`} display="block" mt={6}>
              {t('confirm.openRequest')}
            </Anchor>
          )}
          {submitCode === 'price_changed' && (
            <Button
              mt={8}
              size="xs"
              variant="light"
              onClick={() => {
                submit.reset();
                quote.mutate();
              }}
            >
              {t('confirm.recheck')}
            </Button>
          )}
        </ErrorAlert>
      )}
      {total !== null && !movedOn && (
        <Button
          size="lg"
          leftSection={<IconSend size={20} />}
          onClick={() => submit.mutate(total)}
          loading={submit.isPending}
          disabled={quote.isPending}
          data-autofocus
          autoFocus
        >
          {t('confirm.send', { price: net(total) })}
        </Button>
      )}
      {draft.data.environment === 'prova' && (
        <Alert color="orange" variant="light">
          {t('confirm.provaNote')}
        </Alert>
      )}
    </Stack>
  );
}

function Sent({ summary }: { summary: RequestSummary }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack maw={640} gap="md" data-testid="sent">
      <Group gap="sm">
        <IconCircleCheck size={36} color="var(--mantine-color-teal-6)" />
        <Title order={2}>{t('confirm.sent')}</Title>
      </Group>
      <Text>
        {t('confirm.sentText', {
          service: summary.serviceName,
          price: net(summary.chargedPrice ?? summary.confirmedPrice),
        })}
      </Text>
      <Group>
        <StatusBadge request={summary} />
        {summary.remoteId && (
          <Text size="sm" c="dimmed">
            {t('detail.remoteId')}: {summary.remoteId}
          </Text>
        )}
      </Group>
      <Group>
        <Button onClick={() => void navigate(`/pratiche/${summary.id}`)} autoFocus>
          {summary.awaitingChoice ? t('confirm.chooseResult') : t('confirm.openRequest')}
        </Button>
        <Button variant="default" onClick={() => void navigate('/nuova')}>
          {t('confirm.another')}
        </Button>
      </Group>
    </Stack>
  );
}
