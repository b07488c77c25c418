import { Button, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountIssue } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { describeError } from '../../lib/errors.ts';
import { net, when } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';

/**
 * A request on the Openapi account that no request of the log owns: left by an interrupted
 * sending, made by another program or in Openapi's console. It may have cost money, so it stays
 * here until the clerk links it to a request, says it is not the office's, or cancels it while it
 * is still open. Each decision goes in the trail.
 */
export function OrphanRequest({ issue }: { issue: AccountIssue }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [linking, setLinking] = useState(false);
  const [search, setSearch] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const remoteId = issue.remoteId ?? issue.id;
  // Home is in the first load: the outcome is said here, in the item, not by a notification.
  const decide = useMutation({
    mutationFn: (action: 'disown' | 'cancel' | 'link') =>
      action === 'link'
        ? api.account.link(issue.environment, remoteId, target!)
        : api.account[action](issue.environment, remoteId),
    onSettled: () => void client.invalidateQueries({ queryKey: keys.home }),
  });
  // Requests sent from this register, to link to: searched by client, codice fiscale or service.
  const candidates = useQuery({
    queryKey: ['orphan-link', search],
    queryFn: () =>
      api.requests.list({
        text: search || undefined,
        statuses: ['open', 'pending', 'done', 'cancelled', 'sending'],
        environment: issue.environment,
        limit: 20,
      }),
    enabled: linking,
  });
  const open = issue.transaction !== 'closed';
  // Why it cannot be cancelled from here (no DELETE on the service, or not among the account's scopes).
  const refusal = issue.detail;
  const busy = (action: string) => decide.isPending && decide.variables === action;

  return (
    <Paper withBorder radius="md" p="sm" data-testid="orphan-request">
      <Stack gap={6}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <IconAlertTriangle size={20} color="var(--mantine-color-orange-7)" aria-hidden />
          <Stack gap={2}>
            <Text fw={600}>{t('accountIssues.orphan_request.title')}</Text>
            <Text size="sm">
              {t('accountIssues.orphan_request.text', {
                service: issue.serviceName ?? t('accountIssues.orphan_request.unknownService'),
                amount: net(issue.amount),
                when: when(issue.at),
                state: [
                  issue.stato,
                  issue.transaction === null ? null : t(`accountIssues.orphan_request.${issue.transaction}`),
                ]
                  .filter(Boolean)
                  .join(', '),
                id: remoteId,
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('accountIssues.orphan_request.why')}
            </Text>
          </Stack>
        </Group>
        {linking ? (
          <Group gap="xs" align="flex-end">
            <Select
              label={t('accountIssues.orphan_request.linkTo')}
              placeholder={t('accountIssues.orphan_request.linkPlaceholder')}
              searchable
              searchValue={search}
              onSearchChange={setSearch}
              data={(candidates.data?.rows ?? []).map((r) => ({
                value: r.id,
                label: [r.clientName || '—', r.serviceName, when(r.createdAt)].join(' · '),
              }))}
              value={target}
              onChange={setTarget}
              nothingFoundMessage={t('accountIssues.orphan_request.noneFound')}
              w={420}
              filter={({ options }) => options}
            />
            <Button size="xs" disabled={!target} loading={busy('link')} onClick={() => decide.mutate('link')}>
              {t('accountIssues.orphan_request.linkConfirm')}
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setLinking(false)}>
              {t('accountIssues.orphan_request.back')}
            </Button>
          </Group>
        ) : (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setLinking(true)}>
              {t('accountIssues.orphan_request.link')}
            </Button>
            <Button
              size="xs"
              variant="default"
              loading={busy('disown')}
              onClick={() => decide.mutate('disown')}
            >
              {t('accountIssues.orphan_request.disown')}
            </Button>
            {open && (
              <Button
                size="xs"
                variant="default"
                color="red"
                disabled={!!refusal}
                title={refusal ? t(`accountIssues.orphan_request.cancelRefused.${refusal}`) : undefined}
                loading={busy('cancel')}
                onClick={() => decide.mutate('cancel')}
              >
                {t('accountIssues.orphan_request.cancel')}
              </Button>
            )}
          </Group>
        )}
        {open && refusal && (
          <Text size="xs" c="dimmed">
            {t(`accountIssues.orphan_request.cancelRefused.${refusal}`)}
          </Text>
        )}
        {decide.isError && (
          <Text size="sm" c="red.8" role="alert">
            {describeError(decide.error)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
