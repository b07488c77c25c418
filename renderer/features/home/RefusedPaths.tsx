import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { RefusedPath } from '../../../common/register-paths.ts';

/**
 * Rows of the office register whose paths this counter refused: they named a file outside its
 * archive, scans or clients' folders (written by another counter, or by hand). Nothing was opened
 * or deleted; someone who manages the register must look at the row.
 */
export function RefusedPaths({ rows }: { rows: RefusedPath[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} data-testid="refused-paths">
      {rows.map((row) => (
        <Paper key={`${row.table}:${row.rowId}`} withBorder radius="md" p="sm">
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <IconAlertTriangle size={20} color="var(--mantine-color-red-7)" aria-hidden />
            <Stack gap={2}>
              <Text fw={600}>{t('refusedPaths.title')}</Text>
              <Text size="sm">
                {t('refusedPaths.text', {
                  what: t(`refusedPaths.what.${row.table}`),
                  why: t(`refusedPaths.why.${row.reason}`),
                  id: row.rowId,
                })}
              </Text>
              {row.requestId && (row.table === 'documents' || row.table === 'requests') && (
                <Anchor href={`#/pratiche/${row.requestId}`} size="sm">
                  {t('refusedPaths.openRequest')}
                </Anchor>
              )}
            </Stack>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
