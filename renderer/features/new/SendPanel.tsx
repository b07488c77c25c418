import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconSend } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../common/catalog.ts';
import { clientOf } from '../../../common/form.ts';
import { IVA_RATE, withIva } from '../../../common/money.ts';
import type { Draft, Quote } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { errorCode } from '../../lib/errors.ts';
import { bytes, day, euro, groupCf, net, prettifyName } from '../../lib/format.ts';
import { invalidateRequest, keys } from '../../lib/queries.ts';
import { stateLabel } from '../../components/StatusBadge.tsx';
import { optionLabel } from './options.ts';
import { whoAndWhere } from '../../lib/who.ts';

const ivaPercent = Math.round(IVA_RATE * 100);

/** Price checks of one draft run one after the other: main refuses two at once on the same draft. */
const queues = new Map<string, Promise<unknown>>();
function queued<T>(draftId: string, run: () => Promise<T>): Promise<T> {
  const next = (queues.get(draftId) ?? Promise.resolve()).then(run, run);
  queues.set(
    draftId,
    next.catch(() => undefined),
  );
  return next;
}

interface Props {
  draft: Draft;
  service: ServiceDetail;
  /** The form's checked values (what would be sent). */
  values: Record<string, string>;
  options: string[];
  sendToClient: boolean;
  ready: boolean;
  saved: boolean;
  /** Resolves when everything typed is saved in main. */
  flush: () => Promise<void>;
  /** What is missing or wrong, while the form is not complete. */
  status: ReactNode;
  /** Shows every field's problem (the clerk pressed send too early). */
  onReveal: () => void;
}

/**
 * The end of the form: what will be sent (client, documents, options, price with IVA), the price
 * checked with Openapi in the background as soon as the form is complete, the duplicate guard, and
 * the send button with the price on it. No separate confirmation page: nothing is hidden before
 * sending, and the clerk saves two actions.
 */
export function SendPanel(props: Props) {
  const { draft, service, values, options, ready } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const who = clientOf(service.fields, values);
  const [ticked, setTicked] = useState(false);

  // What the price is for: any change asks again (after a pause in typing).
  const fingerprint = useMemo(
    () =>
      JSON.stringify([
        values,
        [...options].sort(),
        draft.attachments.map((a) => `${a.id}:${a.fieldKey}:${a.position}`),
      ]),
    [values, options, draft.attachments],
  );
  const [settledPrint] = useDebouncedValue(fingerprint, 350);
  const settled = settledPrint === fingerprint;

  const quote = useQuery({
    queryKey: ['requests.quote', draft.id, settledPrint],
    queryFn: async (): Promise<Quote> => {
      await props.flush();
      return queued(draft.id, () => api.requests.quote(draft.id));
    },
    enabled: ready && settled,
    staleTime: 5 * 60_000,
  });
  const duplicates = useQuery({
    queryKey: ['duplicates.check', draft.id, who.codiceFiscale],
    queryFn: async () => {
      await props.flush();
      return api.duplicates.check(draft.id);
    },
    enabled: ready && settled && !!who.codiceFiscale,
  });
  const acknowledge = useMutation({
    mutationFn: (ids: string[]) => api.duplicates.acknowledge(draft.id, ids),
    onSuccess: (list) => client.setQueryData(['duplicates.check', draft.id, who.codiceFiscale], list),
  });
  // Whether a failed submission left the request on the service (open, uncertain, to verify): then
  // what is left to do is on its own page. A refusal before anything was created keeps the draft.
  const [leftDraft, setLeftDraft] = useState(false);
  const submit = useMutation({
    mutationFn: async (total: number) => {
      setLeftDraft(false);
      await props.flush();
      return api.requests.submit(draft.id, total);
    },
    onSuccess: async () => {
      invalidateRequest(client, draft.id);
      // The form is replaced in the history: Back never returns to a sent request's form.
      await navigate(`/nuova/${draft.id}/inviata`, { replace: true });
      // The draft is gone: no cached copy may show it again as editable.
      client.removeQueries({ queryKey: keys.draft(draft.id) });
    },
    onError: (error) => {
      const code = errorCode(error);
      if (code === 'price_changed') void client.invalidateQueries({ queryKey: ['requests.quote', draft.id] });
      void api.drafts.get(draft.id).then(
        () => setLeftDraft(false),
        (failure: unknown) => setLeftDraft(errorCode(failure) === 'draft_not_found'),
      );
      invalidateRequest(client, draft.id);
    },
  });

  const current = ready && settled && !quote.isFetching ? (quote.data ?? null) : null;
  const found = duplicates.data ?? [];
  const open = found.filter((d) => !d.acknowledged);
  const movedOn = submit.isError && leftDraft;
  // The duplicate question must have been answered (not merely failed) before paying.
  const canSend =
    !!current &&
    (!who.codiceFiscale || duplicates.isSuccess) &&
    open.length === 0 &&
    !submit.isPending &&
    !movedOn;

  const fileFields = service.fields.filter((f) => f.tipo === 'file');
  const chosen = service.opzioni.filter((o) => options.includes(o.nome));

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" data-testid="summary">
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('draft.summary')}
          </Title>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" w={110}>
              {t('draft.summaryClient')}
            </Text>
            <Text size="sm" data-testid="confirm-client">
              {[who.cognome, who.nome].filter(Boolean).join(' ') || '—'}
              {who.codiceFiscale ? ` · ${groupCf(who.codiceFiscale)}` : ''}
              {who.email || who.phone ? ` · ${[who.email, who.phone].filter(Boolean).join(' · ')}` : ''}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" c="dimmed" w={110}>
              {t('draft.summaryFiles')}
            </Text>
            <Stack gap={2}>
              {fileFields.map((f) => {
                const parts = draft.attachments.filter((a) => a.fieldKey === f.key);
                return (
                  <Text size="sm" key={f.key}>
                    {prettifyName(f.nome)}:{' '}
                    {parts.length
                      ? `${parts.map((p) => p.fileName).join(' + ')} (${bytes(parts.reduce((n, p) => n + p.size, 0))})`
                      : t('draft.noFile')}
                  </Text>
                );
              })}
            </Stack>
          </Group>
          {chosen.length > 0 && (
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" c="dimmed" w={110}>
                {t('draft.summaryOptions')}
              </Text>
              <Text size="sm">{chosen.map((o) => optionLabel(t, o.tipo)).join(', ')}</Text>
            </Group>
          )}
          {props.sendToClient && who.email && (
            <Text size="sm">{t('draft.summaryEmail', { email: who.email })}</Text>
          )}
          {current && (
            <Table withRowBorders={false} fz="sm" maw={420} data-testid="price">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td>{t('confirm.base')}</Table.Td>
                  <Table.Td ta="right">{euro(current.base)}</Table.Td>
                </Table.Tr>
                {current.ricerca > 0 && (
                  <Table.Tr>
                    <Table.Td>{t('confirm.search')}</Table.Td>
                    <Table.Td ta="right">{euro(current.ricerca)}</Table.Td>
                  </Table.Tr>
                )}
                {current.options.map((o) => (
                  <Table.Tr key={o.nome}>
                    <Table.Td>{optionLabel(t, o.tipo)}</Table.Td>
                    <Table.Td ta="right">{euro(o.prezzo)}</Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td>{t('confirm.imponibile')}</Table.Td>
                  <Table.Td ta="right" data-testid="total">
                    {euro(current.total)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td>{t('confirm.iva', { rate: ivaPercent })}</Table.Td>
                  <Table.Td ta="right">{euro(withIva(current.total).iva)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td fw={700}>{t('confirm.totalGross')}</Table.Td>
                  <Table.Td ta="right" fw={700} data-testid="total-gross">
                    {euro(withIva(current.total).totale)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>

      {found.length > 0 && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle size={18} aria-hidden />}
          title={t('draft.duplicateTitle')}
          data-testid="duplicate-warning"
        >
          <Stack gap={6}>
            <Text size="sm">
              {t('draft.duplicateText', {
                list: found
                  .map((d) =>
                    t('draft.duplicateItem', {
                      date: day(d.sentAt),
                      who: whoAndWhere(d.operator, d.counter),
                      status: stateLabel(t, d.state),
                    }),
                  )
                  .join('; '),
              })}
            </Text>
            <Group gap="sm">
              {found.map((d) => (
                <Anchor key={d.id} href={`#/pratiche/${d.id}`} size="sm">
                  {t('draft.duplicateOpen', { date: day(d.sentAt) })}
                </Anchor>
              ))}
            </Group>
            <Checkbox
              label={t('draft.duplicateAck')}
              // Ticked at once (React state, not the mutation's, which settles later); if recording
              // the choice fails, the error says so and it unticks.
              checked={open.length === 0 || ticked}
              disabled={open.length === 0 || acknowledge.isPending}
              onChange={(e) => {
                if (!e.currentTarget.checked) return;
                setTicked(true);
                acknowledge.mutate(
                  open.map((d) => d.id),
                  { onError: () => setTicked(false) },
                );
              }}
            />
            {acknowledge.isError && <ErrorAlert error={acknowledge.error} />}
          </Stack>
        </Alert>
      )}

      {duplicates.isError && (
        <ErrorAlert error={duplicates.error} title={t('draft.duplicateTitle')}>
          <Button mt={8} size="xs" variant="light" onClick={() => void duplicates.refetch()}>
            {t('common.retry')}
          </Button>
        </ErrorAlert>
      )}
      {submit.isError && (
        <ErrorAlert error={submit.error} title={t('draft.sendFailed')}>
          {movedOn && (
            <Anchor href={`#/pratiche/${draft.id}`} display="block" mt={6}>
              {t('draft.openRequest')}
            </Anchor>
          )}
        </ErrorAlert>
      )}
      {quote.isError && ready && settled && (
        <ErrorAlert error={quote.error} title={t('draft.priceFailed')}>
          <Button mt={8} size="xs" variant="light" onClick={() => void quote.refetch()}>
            {t('common.retry')}
          </Button>
        </ErrorAlert>
      )}
      {draft.environment === 'prova' && current && (
        <Text size="sm" c="dimmed">
          {t('draft.provaNote')}
        </Text>
      )}

      <Paper withBorder radius="md" p="md" pos="sticky" bottom={0} style={{ zIndex: 5 }} shadow="sm">
        <Group justify="space-between" wrap="nowrap">
          <div data-testid="validazione-state" role="status">
            {!ready ? (
              props.status
            ) : current && open.length ? (
              <Group gap={6} wrap="nowrap">
                <IconAlertTriangle size={18} color="var(--mantine-color-orange-9)" aria-hidden />
                <Text size="sm" c="orange.9">
                  {t('draft.duplicatePending')}
                </Text>
              </Group>
            ) : current ? (
              <Group gap={6}>
                <IconCheck size={18} color="var(--mantine-color-teal-8)" aria-hidden />
                <Text size="sm">{t('draft.complete')}</Text>
              </Group>
            ) : quote.isError ? (
              <Text size="sm" c="red.8">
                {t('draft.priceFailed')}
              </Text>
            ) : (
              <Group gap={6}>
                <Loader size="xs" aria-hidden />
                <Text size="sm">{props.saved ? t('draft.checkingPrice') : t('draft.waitingSave')}</Text>
              </Group>
            )}
          </div>
          {submit.isPending ? (
            <Group gap="xs" role="status">
              <Loader size="sm" aria-hidden />
              <Text size="sm">{t('draft.sending')}</Text>
            </Group>
          ) : (
            <Button
              size="md"
              style={{ flexShrink: 0 }}
              leftSection={<IconSend size={18} aria-hidden />}
              disabled={ready && !canSend}
              onClick={() => {
                if (!ready) return props.onReveal();
                if (current && canSend) submit.mutate(current.total);
              }}
              data-testid="send"
            >
              {current
                ? t(found.length ? 'draft.sendAnyway' : 'draft.send', { price: net(current.total) })
                : t('draft.sendPlain')}
            </Button>
          )}
        </Group>
      </Paper>
    </Stack>
  );
}
