import {
  Alert,
  Anchor,
  Box,
  Button,
  Checkbox,
  Group,
  Kbd,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconSend } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../common/catalog.ts';
import { clientOf, documentFields } from '../../../common/form.ts';
import type { DocumentIdentity } from '../../../common/reading.ts';
import { cfMismatches } from '../../../common/validators/cfCoherence.ts';
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
import { operatorAsked, OperatorPrompt } from './OperatorPrompt.tsx';

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
  /** What the client's identity document said (its MRZ): birth date and sex when the form has none. */
  holder: DocumentIdentity | null;
  /** Files are being read and placed: said in the bar, where the clerk looks before sending. */
  processing: boolean;
}

/**
 * The end of the form: what will be sent (client, documents, options, price with IVA), the price
 * checked with Openapi in the background as soon as the form is complete, the duplicate guard, and
 * the send button with the price on it. No separate confirmation page: nothing is hidden before
 * sending, and the clerk saves two actions.
 *
 * The send bar — what is missing, the price, «Invia» — stays in sight on the whole form (sticky at
 * the window's bottom: the summary is the form's last part, the bar belongs to all of it), with the
 * duplicate warning right above it as soon as the codice fiscale is known. Ctrl+Invio presses it
 * from anywhere, with the same checks.
 */
export function SendPanel(props: Props) {
  const { draft, service, values, options, ready } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const who = clientOf(service.fields, values);

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
  // Asked as soon as the client is known (a valid codice fiscale: the service is the draft's), not
  // once the form is complete: the clerk learns it before gathering and attaching the papers.
  const duplicates = useQuery({
    queryKey: ['duplicates.check', draft.id, who.codiceFiscale],
    queryFn: async () => {
      await props.flush();
      return api.duplicates.check(draft.id);
    },
    enabled: !!who.codiceFiscale,
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
  // The tick is for these requests: a new one found later asks again.
  const openKey = open.map((d) => d.id).join(' ');
  const [tickedFor, setTickedFor] = useState<string | null>(null);
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
  // The codice fiscale against the client's surname, name, birth date and sex (those the form
  // asks for, else the document's): a warning before paying, never a block.
  const slots = documentFields(service.fields);
  const mismatches = who.codiceFiscale
    ? (cfMismatches(who.codiceFiscale, {
        cognome: who.cognome,
        nome: who.nome,
        birthDate: (slots.birthDate && values[slots.birthDate.key]) || props.holder?.birthDate,
        sex:
          ((slots.sex && values[slots.sex.key]?.toUpperCase()) as 'M' | 'F' | undefined) || props.holder?.sex,
      }) ?? [])
    : [];

  // The price the clerk sees before Openapi's check: the catalog's, with the options chosen.
  const expected = round2(
    service.prezzo +
      (service.ricerca ? service.prezzoRicerca : 0) +
      chosen.reduce((sum, o) => sum + o.prezzo, 0),
  );
  const checking = ready && !current && !quote.isError;

  // Pressed while the price is being checked: sent as soon as it is, if it is the price the bar
  // showed and nothing else stops it. Any change meanwhile (a field, a file, a duplicate, a
  // failure, another press) ends the intent; a different price waits for the clerk.
  // `after`: the last submission when it was pressed; a newer one (this intent's own) ends it.
  const [intent, setIntent] = useState<{ expected: number; fingerprint: string; after: number } | null>(null);
  const intentLive =
    intent !== null &&
    intent.fingerprint === fingerprint &&
    ready &&
    !quote.isError &&
    open.length === 0 &&
    !movedOn &&
    submit.submittedAt === intent.after;
  const priceMoved = intentLive && !!current && round2(current.total) !== intent.expected;
  const waiting = intentLive && !priceMoved;
  const { mutate: send } = submit;
  useEffect(() => {
    if (waiting && current && canSend) send(current.total);
  }, [waiting, current, canSend, send]);

  // A counter whose clerk never gave a name is asked it once, at the first send (OperatorPrompt).
  const settings = useQuery({ queryKey: keys.settings, queryFn: () => api.settings.get() });
  const [askingOperator, setAskingOperator] = useState(false);

  const go = () => {
    if (current && canSend) submit.mutate(current.total);
    else if (checking && open.length === 0 && !submit.isPending && !movedOn)
      setIntent({ expected, fingerprint, after: submit.submittedAt });
  };
  /** The send button and Ctrl+Invio: one behaviour. */
  const press = () => {
    if (!ready) return props.onReveal();
    if (askingOperator) return;
    if (settings.data && !settings.data.operatorName.trim() && !operatorAsked())
      return setAskingOperator(true);
    go();
  };
  // From inside the fields too: that is where the clerk's hands are.
  useHotkeys([['mod+Enter', press]], []);

  // Whatever the bar covers can be scrolled or tabbed into view above it.
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => {
      root.style.scrollPaddingBottom = `${element.offsetHeight + 16}px`;
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.scrollPaddingBottom = '';
    };
  }, []);

  return (
    <>
      <OperatorPrompt
        opened={askingOperator}
        onDone={() => {
          setAskingOperator(false);
          go();
        }}
        onCancel={() => setAskingOperator(false)}
      />
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

      <Box pos="sticky" bottom={0} style={{ zIndex: 5 }} ref={bar} data-testid="send-bar">
        <Stack gap={6}>
          {mismatches.length > 0 && (
            <Alert
              color="orange"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              data-testid="cf-mismatch"
              styles={{ root: { boxShadow: 'var(--mantine-shadow-sm)' } }}
            >
              <Text size="sm" fw={600}>
                {t('draft.cfMismatch', {
                  parts: joinItalian(mismatches.map((part) => t(`draft.cfPart.${part}`))),
                })}
              </Text>
              <Text size="xs">{t('draft.cfMismatchHelp')}</Text>
            </Alert>
          )}
          {found.length > 0 && (
            <Alert
              color="orange"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('draft.duplicateTitle')}
              data-testid="duplicate-warning"
              styles={{ root: { boxShadow: 'var(--mantine-shadow-sm)' } }}
            >
              <Stack gap={6}>
                {/* Once the clerk went on knowingly, only that choice stays in sight. */}
                {open.length > 0 && (
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
                )}
                {open.length > 0 && (
                  <Group gap="sm">
                    {found.map((d) => (
                      <Anchor key={d.id} href={`#/pratiche/${d.id}`} size="sm">
                        {t('draft.duplicateOpen', { date: day(d.sentAt) })}
                      </Anchor>
                    ))}
                  </Group>
                )}
                <Checkbox
                  label={t('draft.duplicateAck')}
                  // Ticked at once (React state, not the mutation's, which settles later); if
                  // recording the choice fails, the error says so and it unticks.
                  checked={open.length === 0 || tickedFor === openKey}
                  disabled={open.length === 0 || acknowledge.isPending}
                  onChange={(e) => {
                    if (!e.currentTarget.checked) return;
                    setTickedFor(openKey);
                    acknowledge.mutate(
                      open.map((d) => d.id),
                      { onError: () => setTickedFor(null) },
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
          <Paper withBorder radius="md" px="md" py="sm" shadow="md">
            <Group justify="space-between" wrap="nowrap" gap="md">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <div data-testid="validazione-state" role="status">
                  {props.processing ? (
                    <Group gap={6} wrap="nowrap">
                      <Loader size="xs" aria-hidden />
                      <Text size="sm">{t('draft.processing')}</Text>
                    </Group>
                  ) : !ready ? (
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
                      <Text size="sm">
                        {waiting
                          ? t('draft.sendWhenPriced')
                          : props.saved
                            ? t('draft.checkingPrice')
                            : t('draft.waitingSave')}
                      </Text>
                    </Group>
                  )}
                </div>
                <Text size="xs" c={priceMoved ? 'orange.9' : 'dimmed'} data-testid="bar-price">
                  {priceMoved
                    ? t('draft.priceMoved')
                    : current
                      ? t('draft.priceChecked', { price: net(current.total) })
                      : t('draft.priceExpected', { price: net(expected) })}
                  {draft.environment === 'prova' ? ` · ${t('draft.provaNote')}` : ''}
                </Text>
              </Stack>
              {submit.isPending ? (
                <Group gap="xs" role="status" wrap="nowrap">
                  <Loader size="sm" aria-hidden />
                  <Text size="sm">{t('draft.sending')}</Text>
                </Group>
              ) : (
                <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
                  <Button
                    size="md"
                    leftSection={<IconSend size={18} aria-hidden />}
                    disabled={ready && !canSend && !(checking && open.length === 0 && !movedOn)}
                    loading={waiting}
                    onClick={press}
                    aria-keyshortcuts="Control+Enter"
                    data-testid="send"
                  >
                    {current
                      ? t(found.length ? 'draft.sendAnyway' : 'draft.send', { price: net(current.total) })
                      : t('draft.sendPlain')}
                  </Button>
                  <Text size="xs" c="dimmed" aria-hidden>
                    <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Invio</Kbd> {t('draft.sendKeys')}
                  </Text>
                </Stack>
              )}
            </Group>
          </Paper>
        </Stack>
      </Box>
    </>
  );
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** "cognome", "cognome e nome", "cognome, nome e sesso". */
function joinItalian(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} e ${items.at(-1)}`;
}
