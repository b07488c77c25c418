import { Alert, Button, Group, Loader, Modal, Progress, Select, Stack, Text } from '@mantine/core';
import { IconScan } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentInfo } from '../../../common/requests.ts';
import type { ColourMode, ScanSource } from '../../../common/scanning.ts';
import { api } from '../../api.ts';
import { describeError, describeScanProblem } from '../../lib/errors.ts';

const DEVICE_KEY = 'sportello.scanner';

interface Props {
  opened: boolean;
  draftId: string;
  fieldKey: string;
  title: string;
  onClose: () => void;
  /** The pages scanned, as they were added to the field. */
  onScanned: (parts: AttachmentInfo[]) => void;
}

/** "Scansiona ora": pick the scanner (remembered), resolution, colour and source; pages go to the field. */
export function ScanDialog({ opened, draftId, fieldKey, title, onClose, onScanned }: Props) {
  const { t } = useTranslation();
  const survey = useQuery({
    queryKey: ['scanning.devices'],
    queryFn: () => api.scanning.devices(),
    enabled: opened,
    staleTime: 60_000,
  });
  const [deviceId, setDeviceId] = useState<string | null>(() => localStorage.getItem(DEVICE_KEY));
  const [resolution, setResolution] = useState('200');
  const [mode, setMode] = useState<ColourMode>('color');
  const [source, setSource] = useState<ScanSource>('flatbed');
  const [progress, setProgress] = useState<{ page: number; percent: number | null } | null>(null);

  const devices = survey.data?.devices ?? [];
  const device = devices.find((d) => d.id === deviceId) ?? devices[0] ?? null;

  useEffect(() => api.on('scanProgress', (p) => setProgress({ page: p.page, percent: p.percent })), []);

  const scan = useMutation({
    mutationFn: () =>
      api.scanning.scan(draftId, fieldKey, device!.id, { resolution: Number(resolution), mode, source }),
    onMutate: () => setProgress(null),
    onSuccess: (parts) => {
      onScanned(parts);
      onClose();
    },
  });

  const modes = device?.capabilities.modes.length
    ? device.capabilities.modes
    : (['color', 'gray', 'lineart'] as const);
  const sources = device?.capabilities.sources.length ? device.capabilities.sources : (['flatbed'] as const);
  const resolutions = [150, 200, 300, 600].filter(
    (r) =>
      !device?.capabilities.resolutions.length ||
      device.capabilities.resolutions.some((x) => Math.abs(x - r) <= r * 0.25),
  );

  return (
    <Modal opened={opened} onClose={() => !scan.isPending && onClose()} title={title} size="lg">
      <Stack>
        {survey.isPending && (
          <Group gap="xs">
            <Loader size="sm" />
            <Text size="sm">{t('scan.looking')}</Text>
          </Group>
        )}
        {survey.isError && <Alert color="red">{describeError(survey.error)}</Alert>}
        {survey.data && devices.length === 0 && (
          <Alert color="orange" title={t('scan.none')}>
            {survey.data.problems.map((p) => (
              <Text key={p.backend} size="sm">
                {describeScanProblem(p)}
              </Text>
            ))}
          </Alert>
        )}
        {devices.length > 0 && (
          <>
            <Select
              label={t('scan.device')}
              data={devices.map((d) => ({ value: d.id, label: `${d.name} (${d.backend.toUpperCase()})` }))}
              value={device?.id ?? null}
              onChange={(value) => {
                setDeviceId(value);
                if (value) localStorage.setItem(DEVICE_KEY, value);
              }}
              allowDeselect={false}
            />
            <Group grow>
              <Select
                label={t('scan.resolution')}
                data={resolutions.map((r) => ({ value: String(r), label: `${r} dpi` }))}
                value={resolution}
                onChange={(v) => v && setResolution(v)}
                allowDeselect={false}
              />
              <Select
                label={t('scan.mode')}
                data={modes.map((m) => ({ value: m, label: t(`scan.modes.${m}`) }))}
                value={mode}
                onChange={(v) => v && setMode(v)}
                allowDeselect={false}
              />
              <Select
                label={t('scan.source')}
                data={sources.map((s) => ({ value: s, label: t(`scan.sources.${s}`) }))}
                value={source}
                onChange={(v) => v && setSource(v)}
                allowDeselect={false}
              />
            </Group>
          </>
        )}
        {scan.isPending && (
          <Stack gap={4} role="status">
            <Text size="sm">{t('scan.scanning', { page: progress?.page ?? 1 })}</Text>
            <Progress value={progress?.percent ?? 100} animated={progress?.percent == null} striped />
          </Stack>
        )}
        {scan.isError && <Alert color="red">{describeError(scan.error)}</Alert>}
        <Group justify="flex-end">
          {scan.isPending ? (
            <Button variant="default" onClick={() => device && void api.scanning.cancel(device.id)}>
              {t('scan.cancel')}
            </Button>
          ) : (
            <Button variant="default" onClick={onClose}>
              {t('common.back')}
            </Button>
          )}
          <Button
            leftSection={<IconScan size={18} />}
            disabled={!device}
            loading={scan.isPending}
            onClick={() => scan.mutate()}
            data-autofocus
          >
            {t('scan.now')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
