import { Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequestSummary } from '../../common/requests.ts';
import { useNavigate } from '../lib/router.tsx';
import { ago, net, relative } from '../lib/format.ts';
import { TestMark } from './EnvBadge.tsx';
import { StatusBadge } from './StatusBadge.tsx';

/**
 * A compact list of requests; each row opens its page (Enter or click), a draft its form. On a
 * narrow window (a large zoom) the price, time and state wrap under the names instead of
 * squeezing them.
 */
export function RequestList({ rows, empty }: { rows: RequestSummary[]; empty: string }) {
  const navigate = useNavigate();
  if (!rows.length)
    return (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
  return (
    <Stack gap={6}>
      {rows.map((r) => (
        <Paper key={r.id} withBorder radius="md">
          <UnstyledButton
            w="100%"
            p="sm"
            className="request-card mantine-focus-auto"
            data-request-card={r.id}
            onClick={() => void navigate(r.status === 'draft' ? `/nuova/${r.id}` : `/pratiche/${r.id}`)}
          >
            <Stack gap={0} className="request-card-names">
              <Text fw={600} truncate>
                {r.clientName || '—'}
              </Text>
              <Text size="sm" c="dimmed" truncate>
                {r.serviceName}
                {r.number ? ` · n. ${r.number}` : ''}
              </Text>
            </Stack>
            <div className="request-card-meta">
              <TestMark environment={r.environment} />
              <Text size="sm" c="dimmed">
                {net(r.chargedPrice ?? r.confirmedPrice)}
              </Text>
              <Text size="sm" c="dimmed" className="request-card-time">
                {relative(r.updatedAt)}
              </Text>
              <StatusBadge request={r} />
            </div>
          </UnstyledButton>
        </Paper>
      ))}
    </Stack>
  );
}

/** Drafts as the clerk looks for them: "Rossi Mario · Indennità per congedo parentale · 2 ore fa". */
export function DraftList({ rows }: { rows: RequestSummary[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Stack gap={6}>
      {rows.map((d) => (
        <Paper key={d.id} withBorder radius="md">
          <UnstyledButton
            w="100%"
            p="sm"
            className="request-card mantine-focus-auto"
            data-draft-id={d.id}
            onClick={() => void navigate(`/nuova/${d.id}`)}
          >
            <Text className="request-card-names" truncate>
              <Text span fw={600}>
                {d.clientName || t('home.draftNoClient')}
              </Text>
              {` · ${d.serviceName} · ${ago(d.updatedAt)}`}
            </Text>
            <div className="request-card-meta">
              <TestMark environment={d.environment} />
              {d.lastError && (
                <Text size="sm" c="orange.9" fw={500}>
                  {t('home.draftNeedsCheck')}
                </Text>
              )}
            </div>
          </UnstyledButton>
        </Paper>
      ))}
    </Stack>
  );
}
