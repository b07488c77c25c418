import { ActionIcon, Badge, Group, Menu, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconFolderOpen, IconX } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../common/catalog.ts';
import type { RecentScan } from '../../../common/scanning.ts';
import { api } from '../../api.ts';
import { bytes, prettifyName, relative } from '../../lib/format.ts';

/** "Scansioni recenti": what the office scanner saved into the watched folder, ready for a slot. */
export function ScanTray({
  fileFields,
  onUse,
}: {
  fileFields: Field[];
  onUse: (scan: RecentScan, fieldKey: string) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ['scans.status'], queryFn: () => api.scans.status() });
  const recent = useQuery({ queryKey: ['scans.recent'], queryFn: () => api.scans.recent() });
  useEffect(() => api.on('scansChanged', (list) => client.setQueryData(['scans.recent'], list)), [client]);

  if (!status.data?.folder) return null;
  const scans = recent.data ?? [];
  return (
    <Paper withBorder radius="md" p="sm" data-testid="scan-tray">
      <Stack gap={6}>
        <Group gap="xs">
          <IconFolderOpen size={18} />
          <Text fw={600} size="sm">
            {t('tray.title')}
          </Text>
          <Badge variant="light" color={scans.length ? 'teal' : 'gray'}>
            {scans.length}
          </Badge>
        </Group>
        {status.data.problem && (
          <Text size="sm" c="orange.8">
            {status.data.problem}
          </Text>
        )}
        {scans.length === 0 && !status.data.problem && (
          <Text size="sm" c="dimmed">
            {t('tray.empty')}
          </Text>
        )}
        {scans.map((scan) => (
          <Group key={scan.id} justify="space-between" wrap="nowrap" data-scan={scan.name}>
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Text size="sm" truncate>
                {scan.name}
              </Text>
              <Text size="xs" c="dimmed">
                {bytes(scan.size)} · {relative(scan.mtime)}
              </Text>
            </Stack>
            <Group gap={4} wrap="nowrap">
              <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
                <Menu.Target>
                  <ActionIcon variant="light" aria-label={t('tray.use', { name: scan.name })} w="auto" px={8}>
                    <Text size="xs" fw={600}>
                      {t('tray.useShort')}
                    </Text>
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {fileFields.map((f) => (
                    <Menu.Item
                      key={f.key}
                      aria-label={t('tray.useIn', { name: scan.name, field: prettifyName(f.nome) })}
                      onClick={() => onUse(scan, f.key)}
                    >
                      {prettifyName(f.nome)}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
              <Tooltip label={t('tray.dismiss')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('tray.dismissFile', { name: scan.name })}
                  onClick={() => void api.scans.dismiss(scan.id)}
                >
                  <IconX size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
