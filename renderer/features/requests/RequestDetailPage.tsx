import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconExternalLink, IconFolder, IconPrinter, IconRefresh, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useParams } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import type { OutputsReport, RequestDetail, SubmissionChoice } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { EnvBadge } from '../../components/EnvBadge.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { i18next } from '../../i18n/setup.ts';
import { describeError } from '../../lib/errors.ts';
import { bytes, euro, groupCf, net, prettifyName, when } from '../../lib/format.ts';
import { invalidateRequest, keys } from '../../lib/queries.ts';
import { CandidatesPanel } from './CandidatesPanel.tsx';
import { counterOf, whoAndWhere } from '../../lib/who.ts';
import { OperatorName } from '../../components/OperatorName.tsx';

export function RequestDetailPage() {
  const { id = '' } = useParams();
  const request = useQuery({ queryKey: keys.request(id), queryFn: () => api.requests.get(id) });
  if (request.isError) return <ErrorAlert error={request.error} />;
  if (!request.data) return <Loader />;
  return <Detail request={request.data} />;
}

function Detail({ request: r }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const refreshAll = () => invalidateRequest(client, r.id);
  const onError = (error: unknown) =>
    notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 });
  const refresh = useMutation({
    mutationFn: () => api.requests.refresh(r.id),
    onSettled: refreshAll,
    onError,
  });
  const retry = useMutation({ mutationFn: () => api.requests.retry(r.id), onSettled: refreshAll, onError });
  const cancel = useMutation({
    mutationFn: () => api.requests.cancel(r.id, reason.trim()),
    onSuccess: () => setCancelOpen(false),
    onSettled: refreshAll,
    onError,
  });
  const resolve = useMutation({
    mutationFn: (choice: SubmissionChoice) => api.requests.resolveSubmission(r.id, choice),
    onSettled: refreshAll,
    onError,
  });
  const choose = useMutation({
    mutationFn: (indice: number) => api.requests.chooseResult(r.id, r.search!.idRicerca, indice),
    onSettled: refreshAll,
    onError,
  });
  const receipt = useMutation({
    mutationFn: async () => {
      const pdf = await api.receipt.generate(r.id);
      const { printPdf } = await import('../../lib/pdf.ts');
      await printPdf(pdf.data, pdf.name);
    },
    onError,
  });
  const docAction = useMutation({
    mutationFn: async ({ kind, id }: { kind: 'open' | 'folder' | 'print'; id: string }) => {
      if (kind === 'open') await api.documents.open(id);
      else if (kind === 'folder') await api.documents.showInFolder(id);
      else {
        const doc = await api.documents.read(id);
        const { printPdf } = await import('../../lib/pdf.ts');
        await printPdf(doc.data, doc.fileName);
      }
    },
    onError,
  });

  return (
    <Stack maw={1000} gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <StatusBadge request={r} />
            <EnvBadge environment={r.environment} size="sm" />
          </Group>
          <Title order={2}>{r.clientName || t('detail.noClient')}</Title>
          <Text>{r.serviceName}</Text>
          {r.number && (
            <Text size="sm" data-testid="pratica-number">
              {t('detail.number')} <strong>{r.number}</strong>
            </Text>
          )}
          {r.clientCf && (
            <Group gap="sm">
              <Text size="sm" ff="monospace">
                {groupCf(r.clientCf)}
              </Text>
              <Anchor href={`#/clienti/${r.clientCf}`} size="sm">
                {t('detail.client')}
              </Anchor>
            </Group>
          )}
        </Stack>
        <Group gap="xs">
          {(r.status === 'pending' || r.status === 'done' || r.status === 'cancelled') && (
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              loading={refresh.isPending}
              onClick={() => refresh.mutate()}
            >
              {t('detail.refresh')}
            </Button>
          )}
          {r.submittedAt !== null && (
            <Button
              variant="default"
              leftSection={<IconPrinter size={16} aria-hidden />}
              loading={receipt.isPending}
              onClick={() => receipt.mutate()}
            >
              {t('detail.receipt')}
            </Button>
          )}
          {r.canRetry && (
            <Button
              leftSection={<IconRefresh size={16} />}
              loading={retry.isPending}
              onClick={() => retry.mutate()}
            >
              {t('detail.retry')}
            </Button>
          )}
          {r.canCancel && !r.cancelBlocked && (
            <Button
              variant="light"
              color="red"
              leftSection={<IconX size={16} />}
              onClick={() => setCancelOpen(true)}
            >
              {t('detail.cancel')}
            </Button>
          )}
        </Group>
      </Group>

      {r.lastError && <ErrorAlert error={r.lastError} title={t('detail.lastError')} />}
      {r.canCancel && r.cancelBlocked && (
        <Alert color="gray" data-testid="cancel-blocked">
          {t(`detail.cancelBlocked.${r.cancelBlocked}`)}
        </Alert>
      )}
      {r.status === 'cancelled' && r.esito && r.esito.codice !== '0' && (
        <Alert color="red" title={t('detail.refused')}>
          {r.esito.info}
        </Alert>
      )}
      {/* Why the service cancelled it, when it says and it is not the refusal already shown. */}
      {r.status === 'cancelled' &&
        r.esito?.motivo &&
        !(r.esito.codice !== '0' && r.esito.motivo === r.esito.info) && (
          <Alert color="gray" title={t('detail.motivo')} data-testid="cancel-motivo">
            {r.esito.motivo}
          </Alert>
        )}
      {r.purged && <Alert color="gray">{t('detail.purged')}</Alert>}

      {r.candidates.length > 0 && (
        <CandidatesPanel
          candidates={r.candidates}
          busy={resolve.isPending}
          onChoose={(choice) => resolve.mutate(choice)}
        />
      )}

      {r.awaitingChoice && r.search && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="xs">
            <Title order={4}>{t('detail.chooseTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('detail.chooseHint')}
            </Text>
            {r.search.results.map((result) => (
              <Group key={result.indice} justify="space-between">
                <Text size="sm">{result.label}</Text>
                <Button
                  size="xs"
                  loading={choose.isPending && choose.variables === result.indice}
                  onClick={() => choose.mutate(result.indice)}
                >
                  {t('detail.choose')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Paper>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="xs">
            {t('detail.summary')}
          </Title>
          <Table withRowBorders={false} fz="sm">
            <Table.Tbody>
              <Row label={t('detail.number')} value={r.number ?? '—'} mono />
              <Row label={t('detail.state')} value={t(`state.${r.state}`)} />
              {/* The service's own word for its phase: here only, and said to be the service's. */}
              <Row label={t('detail.remoteState')} value={r.remoteState ?? '—'} />
              <Row label={t('detail.remoteId')} value={r.remoteId ?? '—'} mono />
              <Row label={t('detail.confirmedPrice')} value={net(r.confirmedPrice)} />
              <Row label={t('detail.chargedPrice')} value={net(r.chargedPrice)} />
              {r.clientPrice !== null && (
                <Row
                  label={t('detail.clientPrice')}
                  value={r.clientPrice > 0 ? euro(r.clientPrice) : t('detail.clientPriceFree')}
                />
              )}
              <Row label={t('detail.created')} value={when(r.createdAt)} />
              <Row label={t('detail.submitted')} value={when(r.submittedAt)} />
              <Row label={t('detail.completed')} value={when(r.completedAt)} />
              <Row label={t('detail.operator')} value={<OperatorName operator={r.operator} />} />
              <Row label={t('detail.counter')} value={counterOf(r.counter)} />
              {r.emailTarget && <Row label={t('detail.emailTargetLabel')} value={r.emailTarget} />}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder radius="md" p="md" data-testid="outputs">
          <Title order={4} mb="xs">
            {t('detail.outputs')}
          </Title>
          {r.documents.length === 0 &&
            (r.missingScopes.includes('GET /documento') && (r.status === 'pending' || r.status === 'done') ? (
              <Text size="sm" c="orange.8" data-testid="outputs-blocked">
                {t('detail.outputsBlocked')}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {r.status === 'done'
                  ? r.documentsState === 'failed'
                    ? t('detail.downloadFailed')
                    : r.documentsState === 'ready'
                      ? t('detail.noneKept')
                      : t('detail.downloading')
                  : t('detail.noOutputs')}
              </Text>
            ))}
          <Stack gap="xs">
            {r.documents.map((d) => (
              <Paper key={d.id} withBorder radius="sm" p="xs">
                <Stack gap={6}>
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                      {d.fileName}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {bytes(d.size)}
                      {!d.available ? ` · ${t('detail.missingFile')}` : ''}
                    </Text>
                  </Group>
                  <SignedNote fileName={d.fileName} outputs={r.outputs} />
                  <Group gap={4}>
                    <Button
                      size="xs"
                      leftSection={<IconExternalLink size={14} aria-hidden />}
                      disabled={!d.available}
                      aria-label={t('detail.openFile', { file: d.fileName })}
                      onClick={() => docAction.mutate({ kind: 'open', id: d.id })}
                    >
                      {t('detail.open')}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      leftSection={<IconFolder size={14} aria-hidden />}
                      disabled={!d.available}
                      aria-label={t('detail.showFileInFolder', { file: d.fileName })}
                      onClick={() => docAction.mutate({ kind: 'folder', id: d.id })}
                    >
                      {t('detail.showInFolder')}
                    </Button>
                    {d.fileName.toLowerCase().endsWith('.pdf') && (
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconPrinter size={14} aria-hidden />}
                        disabled={!d.available}
                        aria-label={t('detail.printFile', { file: d.fileName })}
                        onClick={() => docAction.mutate({ kind: 'print', id: d.id })}
                      >
                        {t('detail.print')}
                      </Button>
                    )}
                  </Group>
                </Stack>
              </Paper>
            ))}
          </Stack>
          {r.outputs.leftOut.length > 0 && (
            <Alert color="orange" mt="sm" title={t('detail.leftOutTitle')} data-testid="left-out">
              <Stack gap={4}>
                <Text size="sm">{t('detail.leftOutIntro')}</Text>
                <List size="sm">
                  {r.outputs.leftOut.map((f, i) => (
                    <List.Item key={i}>
                      <Text span size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                        {f.fileName}
                      </Text>
                      {' — '}
                      {t(`detail.leftOut.${f.reason}`)}
                    </List.Item>
                  ))}
                </List>
                <Text size="sm">{t('detail.leftOutHelp')}</Text>
              </Stack>
            </Alert>
          )}
          {r.archiveFolder && (
            <Text size="xs" c="dimmed" mt="xs" style={{ wordBreak: 'break-all' }}>
              {r.archiveFolder}
            </Text>
          )}
        </Paper>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="xs">
            {t('detail.fields')}
          </Title>
          <Table fz="sm" withRowBorders={false}>
            <Table.Tbody>
              {r.fields.map((f) => (
                <Row
                  key={f.key}
                  label={prettifyName(f.nome)}
                  value={f.value || '—'}
                  mono={f.tipo.startsWith('codice_fiscale')}
                />
              ))}
              {r.options.map((o) => (
                <Row key={o.nome} label={prettifyName(o.tipo)} value={`+${net(o.prezzo)}`} />
              ))}
            </Table.Tbody>
          </Table>
          {r.attachments.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs">
              {r.attachments.every((a) => !a.available) ? t('detail.scansDeleted') : t('detail.scansKept')}
            </Text>
          )}
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={4} mb="sm">
            {t('detail.timeline')}
          </Title>
          <Timeline bulletSize={14} lineWidth={2} active={r.events.length}>
            {r.events.map((e, i) => (
              <Timeline.Item key={i} title={eventTitle(e)}>
                <Text size="xs" c="dimmed" data-testid="event-who">
                  {when(e.at)}
                  {e.operator || e.counter ? ` · ${whoAndWhere(e.operator, e.counter)}` : ''}
                </Text>
                {eventNote(e.data) && <Text size="xs">{eventNote(e.data)}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
      </SimpleGrid>

      <Modal opened={cancelOpen} onClose={() => setCancelOpen(false)} title={t('detail.cancelTitle')}>
        <Stack>
          <Text size="sm">{t('detail.cancelText')}</Text>
          <Textarea
            label={t('detail.cancelReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            autoFocus
            minRows={2}
          />
          {cancel.isError && (
            <Text c="red" size="sm">
              {describeError(cancel.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelOpen(false)}>
              {t('common.back')}
            </Button>
            <Button
              color="red"
              disabled={!reason.trim()}
              loading={cancel.isPending}
              onClick={() => cancel.mutate()}
            >
              {t('detail.cancelConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Anchor href="#/pratiche" size="sm">
        {t('detail.backToList')}
      </Anchor>
    </Stack>
  );
}

/** What a signed file (.p7m) holds, or which signed file a document was taken out of. */
function SignedNote({ fileName, outputs }: { fileName: string; outputs: OutputsReport }) {
  const { t } = useTranslation();
  const signed = outputs.signed.find((s) => s.fileName === fileName);
  const from = outputs.signed.find((s) => s.content === fileName);
  if (!signed && !from) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="signed-note">
      {signed
        ? `${t('detail.signedOriginal')} ${
            signed.content ? t('detail.signedContent', { file: signed.content }) : t('detail.signedDetached')
          }`
        : t('detail.extractedFrom', { file: from!.fileName })}
    </Text>
  );
}

function Row({ label, value, mono }: { label: string; value: ReactNode; mono?: boolean }) {
  return (
    <Table.Tr>
      <Table.Td c="dimmed" w="45%">
        {label}
      </Table.Td>
      <Table.Td ff={mono ? 'monospace' : undefined} style={{ wordBreak: 'break-word' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * An event's title. The price check and the confirmed send are both a 'validated' event (the
 * second with `confirmed`): they read apart, the confirmed one with its price.
 */
function eventTitle(e: { kind: string; data: Record<string, unknown> | null }): string {
  if (e.kind === 'validated' && e.data?.confirmed === true && typeof e.data.total === 'number')
    return i18next.t('event.validatedConfirmed', { price: net(e.data.total) });
  return i18next.t(`event.${e.kind}`, { defaultValue: e.kind });
}

/** A short human note for an event's data: the new state, the file, the amount. */
function eventNote(data: Record<string, unknown> | null): string | null {
  if (!data) return null;
  const parts: string[] = [];
  if (data.choice === 'adopt') parts.push(i18next.t('detail.choiceAdopt'));
  if (data.choice === 'send_again') parts.push(i18next.t('detail.choiceSendAgain'));
  for (const key of ['stato', 'to', 'file', 'remoteId', 'reason', 'code'] as const) {
    const v = data[key];
    if (typeof v === 'string' && v) parts.push(v);
  }
  // The confirmed send's price is in its title already.
  if (typeof data.total === 'number' && data.confirmed !== true) parts.push(net(data.total));
  if (data.emailTarget === true) parts.push(i18next.t('detail.noteEmailTarget'));
  // The counters that sent the requests a clerk knowingly duplicated (duplicate_acknowledged).
  const counters = Array.isArray(data.counters)
    ? data.counters.filter((c): c is string => typeof c === 'string' && c !== '')
    : [];
  if (counters.length) parts.push(i18next.t('detail.noteCounters', { counters: counters.join(', ') }));
  return parts.length ? parts.join(' · ') : null;
}
