import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Image,
  Loader,
  Menu,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Tooltip,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import {
  IconArrowsExchange,
  IconCamera,
  IconCircleCheck,
  IconFileUpload,
  IconReplace,
  IconTrash,
} from '@tabler/icons-react';
import { lazy, Suspense, useCallback, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../common/catalog.ts';
import type { AttachmentInfo } from '../../../common/requests.ts';
import { api } from '../../api.ts';
import { PdfThumbnail } from '../../components/PdfThumbnail.tsx';
import { describeError } from '../../lib/errors.ts';
import { bytes, prettifyName } from '../../lib/format.ts';
import { helpText } from '../../lib/help-text.ts';
import { slotsOf, type Slot, type SlotLabel } from './draft.ts';
import { filesOfEvent } from './files.ts';

// The camera dialog (getUserMedia, canvas work) loads the first time it is opened.
const CameraDialog = lazy(async () => ({ default: (await import('./CameraDialog.tsx')).CameraDialog }));

export interface SlotState {
  busy: boolean;
  error: unknown;
}

interface Props {
  draftId: string;
  field: Field;
  /** Every file field of the form: where a part can be moved. */
  fields: Field[];
  parts: AttachmentInfo[];
  fronteRetro: boolean;
  onMode: (fronteRetro: boolean) => void;
  missing: boolean;
  reveal: boolean;
  /** The office's checklist line for this paper ("Da chiedere al cliente: …"), if any. */
  hint?: string | null;
  /** Files dropped or chosen on a slot: the page places them (several fill the empty slots in order). */
  onFiles: (files: File[], slot: Slot, replace: AttachmentInfo | null) => void;
  onRemove: (part: AttachmentInfo) => void;
  /** Photos taken for this field with the camera: added to it in order. */
  onCaptured: (files: File[], fieldKey: string) => void;
  /** Moves a part to another field (the two swap when its own would be left empty). */
  onMove: (part: AttachmentInfo, fieldKey: string) => void;
  /** The formats this computer reads, as main says: the hint offers exactly these. */
  formats: string[];
  /** The largest PDF a document may be ("4,0 MB"), told on the empty slot. */
  pdfLimit?: string | undefined;
  onFocusSlot: (slot: Slot) => void;
  state: (slot: Slot) => SlotState;
  /** Extra actions for the field (scanner, mandato). */
  actions?: ReactNode;
}

/** One file field: a document of one or more parts, or a fronte/retro pair merged into one PDF. */
export function FileField(props: Props) {
  const { t } = useTranslation();
  const { field, parts, fronteRetro } = props;
  const label = prettifyName(field.nome);
  const [camera, setCamera] = useState(false);
  const slots = slotsOf(field.key, parts, fronteRetro);
  const slotLabel = (label: SlotLabel) =>
    !label ? null : 'side' in label ? t(`draft.${label.side}`) : t('draft.page', { n: label.page });

  return (
    <Paper withBorder radius="md" p="md" data-file-field={field.key}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            {parts.length > 0 ? (
              <IconCircleCheck size={20} color="var(--mantine-color-teal-8)" aria-hidden />
            ) : null}
            <Text fw={600} component="h4" m={0} fz="md">
              {label}
            </Text>
            {parts.length > 0 && (
              <Badge color="teal" variant="light">
                {t('draft.attached')}
              </Badge>
            )}
            {props.missing && props.reveal && (
              <Badge color="red" variant="light">
                {t('draft.required')}
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            {props.actions}
            <Button
              size="xs"
              variant="default"
              leftSection={<IconCamera size={16} aria-hidden />}
              onClick={() => setCamera(true)}
              aria-label={`${t('camera.open')}: ${label}`}
            >
              {t('camera.open')}
            </Button>
            <Switch
              label={t('draft.fronteRetro')}
              checked={fronteRetro}
              onChange={(e) => props.onMode(e.currentTarget.checked)}
            />
          </Group>
        </Group>
        {camera && (
          <Suspense fallback={<Loader size="sm" aria-label={t('app.loading')} />}>
            <CameraDialog
              opened={camera}
              title={t('camera.title', { name: label })}
              sides={fronteRetro ? 2 : 1}
              onClose={() => setCamera(false)}
              // Photographed for this very field: no guessing, fronte then retro.
              onDone={(files) => props.onCaptured(files, field.key)}
            />
          </Suspense>
        )}
        {field.istruzioni && (
          <Text size="sm" c="dimmed">
            {helpText(field.istruzioni)}
          </Text>
        )}
        {props.hint && (
          <Text size="sm" data-testid="checklist-hint">
            {props.hint}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, md: fronteRetro ? 2 : 3 }}>
          {slots.map((slot) => (
            <SlotBox
              key={slot.position}
              {...props}
              slot={{ fieldKey: slot.fieldKey, position: slot.position }}
              label={slotLabel(slot.label)}
              part={slot.part}
              addsPage={slot.addsPage}
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function SlotBox(
  props: Props & { slot: Slot; label: string | null; part: AttachmentInfo | null; addsPage: boolean },
) {
  const { t } = useTranslation();
  const { slot, part, draftId } = props;
  const openRef = useRef<() => void>(null);
  const replacing = useRef(false);
  const state = props.state(slot);
  const load = useCallback(
    async () => (part ? (await api.attachments.preview(draftId, part.id)).data : new Uint8Array()),
    [draftId, part],
  );
  const name = `${prettifyName(props.field.nome)}${props.label ? ` – ${props.label}` : ''}`;

  const drop = (files: File[]) => {
    const replace = replacing.current ? part : null;
    replacing.current = false;
    if (files.length) props.onFiles(files, slot, replace);
  };

  return (
    <Stack gap={4} onFocus={() => props.onFocusSlot(slot)}>
      {props.label && (
        <Text size="sm" fw={500}>
          {props.label}
        </Text>
      )}
      <Dropzone
        onDrop={drop}
        openRef={openRef}
        activateOnClick={!part}
        useFsAccessApi={false}
        getFilesFromEvent={filesOfEvent}
        multiple
        loading={state.busy}
        aria-label={
          part ? t('draft.slotFilled', { name, file: part.fileName }) : t('draft.slotEmpty', { name })
        }
        data-slot={`${slot.fieldKey}:${slot.position}`}
        data-filled={part ? 'true' : 'false'}
        p="sm"
        radius="md"
        styles={{ root: { minHeight: 150, borderStyle: part ? 'solid' : 'dashed' } }}
      >
        {part ? (
          <Group wrap="nowrap" align="flex-start" style={{ pointerEvents: 'all' }}>
            {part.thumbnail ? (
              <Image src={part.thumbnail} alt={part.fileName} w={96} radius="sm" />
            ) : (
              <PdfThumbnail load={load} />
            )}
            <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Text size="sm" fw={500} truncate title={part.fileName}>
                {part.fileName}
              </Text>
              <Text size="xs" c="dimmed">
                {bytes(part.size)} · {t('draft.pages', { count: part.pages })}
              </Text>
              <Group gap={4} mt={4}>
                <Tooltip label={t('draft.replace')}>
                  <ActionIcon
                    variant="light"
                    aria-label={t('draft.replaceFile', { file: part.fileName })}
                    onClick={(e) => {
                      e.stopPropagation();
                      replacing.current = true;
                      openRef.current?.();
                    }}
                  >
                    <IconReplace size={16} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                {/* Focus goes to the first item: Mantine's focus placeholder is not a menu item (axe). */}
                {props.fields.length > 1 && (
                  <Menu position="bottom-start" withinPortal withInitialFocusPlaceholder={false}>
                    <Menu.Target>
                      <ActionIcon
                        variant="light"
                        aria-label={t('draft.moveToLabel', { name: part.fileName })}
                        title={t('draft.moveTo')}
                        onClick={(e) => e.stopPropagation()}
                      >
                        <IconArrowsExchange size={16} aria-hidden />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {/* Only items in a menu (axe aria-required-children): each says «Sposta in …» itself. */}
                      {props.fields
                        .filter((f) => f.key !== props.field.key)
                        .map((f) => (
                          <Menu.Item
                            key={f.key}
                            aria-label={t('draft.moveInto', { field: prettifyName(f.nome) })}
                            onClick={() => props.onMove(part, f.key)}
                          >
                            {prettifyName(f.nome)}
                          </Menu.Item>
                        ))}
                    </Menu.Dropdown>
                  </Menu>
                )}
                <Tooltip label={t('draft.remove')}>
                  <ActionIcon
                    variant="light"
                    color="red"
                    aria-label={t('draft.removeFile', { file: part.fileName })}
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onRemove(part);
                    }}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Stack>
          </Group>
        ) : (
          <Stack align="center" justify="center" gap={4} mih={130} style={{ pointerEvents: 'none' }}>
            {state.busy ? (
              <Loader size="sm" />
            ) : (
              <IconFileUpload size={28} color="var(--mantine-color-gray-7)" aria-hidden />
            )}
            <Text size="sm" ta="center">
              {props.addsPage ? t('draft.addPage') : t('draft.dropHere')}
            </Text>
            {props.formats.length > 0 && (
              <Text size="xs" c="dimmed" ta="center">
                {props.pdfLimit
                  ? t('draft.dropHintLimit', { formats: props.formats.join(', '), pdf: props.pdfLimit })
                  : t('draft.dropHint', { formats: props.formats.join(', ') })}
              </Text>
            )}
          </Stack>
        )}
      </Dropzone>
      {state.error ? (
        <Text size="sm" c="red" role="alert">
          {describeError(state.error)}
        </Text>
      ) : null}
    </Stack>
  );
}
