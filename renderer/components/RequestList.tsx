import { Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useNavigate } from '../lib/router.tsx';
import type { RequestSummary } from '../../common/requests.ts';
import { net, relative } from '../lib/format.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** A compact list of requests; each row opens its detail (Enter or click). */
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
          <UnstyledButton w="100%" p="sm" onClick={() => void navigate(`/pratiche/${r.id}`)}>
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} truncate>
                  {r.clientName || '—'}
                </Text>
                <Text size="sm" c="dimmed" truncate>
                  {r.serviceName}
                </Text>
              </Stack>
              <Group gap="sm" wrap="nowrap">
                <Text size="sm" c="dimmed">
                  {net(r.chargedPrice ?? r.confirmedPrice)}
                </Text>
                <Text size="sm" c="dimmed" w={90} ta="right">
                  {relative(r.updatedAt)}
                </Text>
                <StatusBadge request={r} />
              </Group>
            </Group>
          </UnstyledButton>
        </Paper>
      ))}
    </Stack>
  );
}
