import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconHelpCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubmissionCandidate, SubmissionChoice } from '../../../common/requests.ts';
import { net, when } from '../../lib/format.ts';

/**
 * An uncertain submission the API could not settle: the requests on the service it may have
 * created. The clerk checks them (in the Openapi console, with the client) and adopts the right
 * one, or sends again knowing that one of these may be it and paid.
 */
export function CandidatesPanel({
  candidates,
  busy,
  onChoose,
}: {
  candidates: SubmissionCandidate[];
  busy: boolean;
  onChoose: (choice: SubmissionChoice) => void;
}) {
  const { t } = useTranslation();
  const [confirmAgain, setConfirmAgain] = useState(false);
  return (
    <Paper withBorder radius="md" p="md" data-testid="candidates">
      <Stack gap="sm">
        <Group gap="xs">
          <IconHelpCircle size={20} aria-hidden />
          <Title order={4}>{t('candidates.title')}</Title>
        </Group>
        <Text size="sm">{t('candidates.hint', { count: candidates.length })}</Text>
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('candidates.id')}</Table.Th>
              <Table.Th>{t('candidates.created')}</Table.Th>
              <Table.Th>{t('candidates.state')}</Table.Th>
              <Table.Th>{t('candidates.price')}</Table.Th>
              <Table.Th aria-label={t('candidates.action')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {candidates.map((c) => (
              <Table.Tr key={c.remoteId} data-candidate={c.remoteId}>
                <Table.Td ff="monospace">
                  {c.remoteId}
                  {c.echo === 'match' && (
                    <Badge ml="xs" size="sm" variant="light" color="teal">
                      {t('candidates.sameData')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{when(c.createdAt)}</Table.Td>
                <Table.Td>{c.stato || '—'}</Table.Td>
                <Table.Td>{net(c.prezzoVisura)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    loading={busy}
                    onClick={() => onChoose({ adopt: c.remoteId })}
                    aria-label={t('candidates.adoptLabel', { id: c.remoteId })}
                  >
                    {t('candidates.adopt')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" color="red" onClick={() => setConfirmAgain(true)} disabled={busy}>
            {t('candidates.sendAgain')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirmAgain} onClose={() => setConfirmAgain(false)} title={t('candidates.sendAgain')}>
        <Stack>
          <Alert color="orange">{t('candidates.sendAgainWarning')}</Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmAgain(false)}>
              {t('common.back')}
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={() => {
                setConfirmAgain(false);
                onChoose({ sendAgain: true });
              }}
            >
              {t('candidates.sendAgainConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
