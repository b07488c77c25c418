import { Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountIssue } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { euro, net, when } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';

// Its Select (Combobox, Popover, floating-ui, FocusTrap) would be a third of the first screen's
// code for a case most starts never show: loaded when there is an orphan to show.
const OrphanRequest = lazy(async () => ({ default: (await import('./OrphanRequest.tsx')).OrphanRequest }));

/**
 * What the Openapi account shows that the log does not explain: a charge matching no request, a
 * second charge for one request, an open request of ours the service would not let us close out,
 * a request of the account no request owns, and a charge for such a request. "Never twice", made
 * something the office can see and check.
 */
export function AccountIssues({ issues, moreOrphans }: { issues: AccountIssue[]; moreOrphans: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const check = useMutation({
    mutationFn: (issue: AccountIssue) => api.requests.checkIssue(issue.environment, issue.id),
    onSettled: () => void client.invalidateQueries({ queryKey: keys.home }),
  });
  return (
    <Stack gap={6} data-testid="account-issues">
      {issues.map((issue) =>
        issue.kind === 'orphan_request' ? (
          <Suspense key={`${issue.kind}:${issue.id}`} fallback={null}>
            <OrphanRequest issue={issue} />
          </Suspense>
        ) : (
          <Paper key={`${issue.kind}:${issue.id}`} withBorder radius="md" p="sm">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <IconAlertTriangle size={20} color="var(--mantine-color-orange-7)" aria-hidden />
                <Stack gap={2}>
                  <Text fw={600}>{t(`accountIssues.${issue.kind}.title`)}</Text>
                  <Text size="sm">
                    {t(`accountIssues.${issue.kind}.text`, {
                      // A charge is what the wallet took; an unused request's amount is its (net) price.
                      amount: issue.kind === 'unused_open' ? net(issue.amount) : euro(issue.amount),
                      when: when(issue.at),
                      id: issue.remoteId ?? '—',
                    })}
                  </Text>
                  {issue.detail === 'scope_missing' && (
                    <Text size="sm">{t('accountIssues.scopeMissing')}</Text>
                  )}
                  {issue.requestId && (
                    <Anchor href={`#/pratiche/${issue.requestId}`} size="sm">
                      {t('accountIssues.openRequest')}
                    </Anchor>
                  )}
                </Stack>
              </Group>
              {issue.kind !== 'unused_open' && (
                <Button
                  size="xs"
                  variant="default"
                  style={{ flexShrink: 0 }}
                  loading={check.isPending && check.variables?.id === issue.id}
                  onClick={() => check.mutate(issue)}
                >
                  {t('accountIssues.checked')}
                </Button>
              )}
            </Group>
          </Paper>
        ),
      )}
      {moreOrphans > 0 && (
        <Text size="sm" c="dimmed" data-testid="more-orphans">
          {t('accountIssues.moreOrphans', { count: moreOrphans })}
        </Text>
      )}
    </Stack>
  );
}
