import { Alert, Group, List, Paper, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFiles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../common/catalog.ts';
import type { Placement } from '../../../common/requests.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { describeError } from '../../lib/errors.ts';
import { prettifyName } from '../../lib/format.ts';
import { placementTone } from './draft.ts';
import { filesOfEvent } from './files.ts';

/** The summary's colour: green only when every file went where its content proves. */
const TONE_COLOUR = { sure: 'teal', check: 'yellow', failed: 'orange' } as const;

/**
 * One place for all the client's papers: dropped (or chosen) together, each goes to its slot —
 * main reads each one (codes, MRZ, words), else goes by its name, pages or the order — and the
 * clerk reads where each went, why, and which ones to check, and can move any of them.
 */
export function DropAll({
  formats,
  limits,
  busy,
  onFiles,
  placement,
  error,
  fields,
  onClose,
}: {
  /** What this computer reads ("PDF", "JPEG", …): every file dropped goes to main, which says why one is refused. */
  formats: string[];
  /** The sizes main takes, in words: said before a file is refused. */
  limits?: string | undefined;
  busy: boolean;
  onFiles: (files: File[]) => void;
  placement: Placement | null;
  error: unknown;
  fields: Field[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const label = (key: string) => prettifyName(fields.find((f) => f.key === key)?.nome ?? key);
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={(files) => files.length && onFiles(files)}
        useFsAccessApi={false}
        getFilesFromEvent={filesOfEvent}
        multiple
        loading={busy}
        aria-label={t('draft.dropAllLabel')}
        data-testid="drop-all"
        p="md"
        radius="md"
        styles={{ root: { borderStyle: 'dashed' } }}
      >
        <Group justify="center" gap="md" mih={70} style={{ pointerEvents: 'none' }}>
          <IconFiles size={32} aria-hidden color="var(--mantine-color-teal-8)" />
          <Stack gap={2}>
            <Text fw={600}>{t('draft.dropAll')}</Text>
            <Text size="sm" c="dimmed">
              {t('draft.dropAllHint')}
            </Text>
            {formats.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('draft.dropHint', { formats: formats.join(', ') })}
              </Text>
            )}
            {limits && (
              <Text size="xs" c="dimmed" data-testid="drop-limits">
                {limits}
              </Text>
            )}
          </Stack>
        </Group>
      </Dropzone>
      <ErrorAlert error={error} />
      {placement && (placement.placed.length > 0 || placement.failed.length > 0) && (
        <PlacementSummary placement={placement} label={label} onClose={onClose} />
      )}
    </Stack>
  );
}

function PlacementSummary({
  placement,
  label,
  onClose,
}: {
  placement: Placement;
  label: (key: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { tone, unsure } = placementTone(placement);
  const title = placement.placed.length
    ? t('draft.placedTitle', { count: placement.placed.length }) +
      (unsure ? t('draft.placedToCheck', { count: unsure }) : '')
    : t('draft.placedNone');
  return (
    <Alert
      color={TONE_COLOUR[tone]}
      variant="light"
      withCloseButton
      closeButtonLabel={t('draft.placedClose')}
      onClose={onClose}
      title={title}
      data-testid="placement"
      data-tone={tone}
    >
      <Paper bg="transparent">
        <List size="sm" spacing={2}>
          {placement.placed.map((p) => (
            <List.Item key={p.attachmentId} data-confidence={p.confidence}>
              {t('draft.placedInto', {
                file: p.fileName,
                field: label(p.fieldKey),
                why: t(`draft.placedBy.${p.reason}`),
              })}
              {p.note && ` — ${t(`draft.placedNote.${p.note}`)}`}
              {p.confidence !== 'high' && (
                <Text span size="sm" fw={600} c="orange.9">
                  {` — ${t('draft.placedCheck')}`}
                </Text>
              )}
            </List.Item>
          ))}
          {placement.failed.map((f) => (
            <List.Item key={f.fileName}>
              <Text size="sm" c="red.8" span>
                {describeError(f.error)}
              </Text>
            </List.Item>
          ))}
        </List>
      </Paper>
    </Alert>
  );
}
