import { Alert, Button, Group, List, Paper, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProbeStep, ServiceProfile } from '../../../common/probe.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { when } from '../../lib/format.ts';

/** The open questions of the spec, in the order the report shows them. */
const QUESTIONS = [
  'charge',
  'echo',
  'opzioni',
  'priceCheck',
  'state',
  'cancelledPut',
  'dimensione',
  'delete',
  'openPhase',
  'testCheck',
  'transactionAmounts',
] as const satisfies readonly (keyof ServiceProfile)[];

/**
 * "Verifica del servizio" for the office's IT person: the scripted first contact with Openapi's
 * Sandbox (main/probe/probe.ts), step by step as it runs, then what the service answered where the
 * spec is silent. It creates two requests paid with sandbox credit.
 */
export function ProbeCard({ ready }: { ready: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [steps, setSteps] = useState<ProbeStep[]>([]);
  const saved = useQuery({
    queryKey: ['settings.serviceProfile', 'sandbox'],
    queryFn: () => api.settings.serviceProfile('sandbox'),
  });
  const probe = useMutation({
    mutationFn: () => api.settings.probe('sandbox'),
    onMutate: () => setSteps([]),
    onSettled: () => void client.invalidateQueries({ queryKey: ['settings.serviceProfile', 'sandbox'] }),
  });
  useEffect(() => api.on('probeProgress', (step) => setSteps((list) => [...list, step])), []);
  const profile = probe.data?.profile ?? saved.data ?? null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="probe">
      <Stack gap="sm">
        <Title order={4}>{t('probe.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('probe.help')}
        </Text>
        <Group>
          <Button onClick={() => probe.mutate()} loading={probe.isPending} disabled={!ready}>
            {t('probe.run')}
          </Button>
          {!ready && (
            <Text size="sm" c="dimmed">
              {t('probe.needsCredentials')}
            </Text>
          )}
          {saved.data && !probe.isPending && (
            <Text size="sm" c="dimmed">
              {t('probe.lastRun', { when: when(saved.data.at) })}
            </Text>
          )}
        </Group>
        {steps.length > 0 && (
          <List spacing={4} size="sm" aria-live="polite">
            {steps.map((s, i) => (
              <List.Item
                key={i}
                icon={
                  <ThemeIcon size={18} radius="xl" color={s.ok ? 'teal' : 'orange'} aria-hidden>
                    {s.ok ? <IconCheck size={12} /> : <IconX size={12} />}
                  </ThemeIcon>
                }
              >
                <Text span fw={500} size="sm">
                  {s.step}
                  {s.ok ? '' : ` — ${t('probe.notOk')}`}:
                </Text>{' '}
                {s.detail}
              </List.Item>
            ))}
          </List>
        )}
        {probe.isError && <ErrorAlert error={probe.error} title={t('probe.failed')} />}
        {profile && (
          <Table withTableBorder fz="sm" data-testid="probe-profile">
            <Table.Tbody>
              {QUESTIONS.map((q) => (
                <Table.Tr key={q}>
                  <Table.Td>{t(`probe.question.${q}`)}</Table.Td>
                  <Table.Td fw={600}>
                    {t(`probe.answer.${profile[q]}`, { defaultValue: profile[q] })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {profile && <Alert color="gray">{t('probe.howUsed')}</Alert>}
      </Stack>
    </Paper>
  );
}
