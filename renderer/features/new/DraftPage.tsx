import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Paper,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowRight, IconCheck, IconCircleDashed, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../common/catalog.ts';
import { checkForm } from '../../../common/form.ts';
import type { AttachmentInfo, Draft } from '../../../common/requests.ts';
import type { CardBarcodeReading, RecentScan } from '../../../common/scanning.ts';
import { effectiveKind } from '../../../common/validators/field.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { describeError, errorCode } from '../../lib/errors.ts';
import { net, prettifyName } from '../../lib/format.ts';
import { keys } from '../../lib/queries.ts';
import { CardReading } from './CardReading.tsx';
import { checklistFor } from './checklists.ts';
import { FieldActions } from './FieldActions.tsx';
import { ScanTray } from './ScanTray.tsx';
import { FieldInput } from './FieldInput.tsx';
import { FileField, type SlotState } from './FileField.tsx';
import { sourceOf, type Slot } from './files.ts';
import { Instructions } from './Instructions.tsx';

export function DraftPage() {
  const { draftId = '' } = useParams();
  const { t } = useTranslation();
  const draft = useQuery({ queryKey: keys.draft(draftId), queryFn: () => api.drafts.get(draftId) });
  const detail = useQuery({
    queryKey: keys.detail(draft.data?.serviceHash ?? ''),
    queryFn: () => api.catalog.detail(draft.data!.serviceHash),
    enabled: !!draft.data,
  });

  if (draft.isError) {
    return (
      <Stack maw={700}>
        <ErrorAlert error={draft.error} />
        {errorCode(draft.error) === 'draft_not_found' && (
          <Anchor href="#/pratiche">{t('draft.goToRequests')}</Anchor>
        )}
      </Stack>
    );
  }
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  if (!draft.data || !detail.data) return <Loader />;
  return <DraftForm key={draft.data.id} draft={draft.data} service={detail.data} />;
}

function DraftForm({ draft, service }: { draft: Draft; service: ServiceDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(draft.fields);
  const [options, setOptions] = useState<string[]>(draft.options);
  const [reveal, setReveal] = useState(false);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'failed'>('saved');
  const [slotStates, setSlotStates] = useState<Record<string, SlotState>>({});
  const [fronteRetro, setFronteRetro] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(
      service.fields
        .filter((f) => f.tipo === 'file')
        .map((f) => [
          f.key,
          /fronte|retro/i.test(f.nome) || draft.attachments.filter((a) => a.fieldKey === f.key).length === 2,
        ]),
    ),
  );
  const [card, setCard] = useState<CardBarcodeReading | null>(null);
  const focusedSlot = useRef<Slot | null>(null);
  const pending = useRef<Record<string, string> | null>(null);

  const attachments = draft.attachments;
  const fileFields = service.fields.filter((f) => f.tipo === 'file');
  const inputFields = service.fields.filter((f) => f.tipo !== 'file');
  const present = useMemo(() => new Set(attachments.map((a) => a.fieldKey)), [attachments]);
  const check = checkForm(service, values, present);
  const missing = new Set(check.missing);
  const ready = check.satisfied && Object.keys(check.issues).length === 0;

  const cfField = inputFields.find((f) => {
    const kind = effectiveKind(f);
    return kind === 'codiceFiscalePersona' || kind === 'codiceFiscale';
  });
  /** Photos and scans of a card may carry the CF barcode: read it and propose it (or flag a mismatch). */
  const readCard = async (read: () => Promise<CardBarcodeReading | null>) => {
    if (!cfField) return;
    try {
      const reading = await read();
      if (reading) setCard(reading);
    } catch {
      // No reading is not a problem: the clerk types the code as always.
    }
  };
  // Decoding runs several passes in main: only images put where a card goes (tessera, CIE, documento
  // d'identità, codice fiscale) are read, not the mandato or other papers.
  const cardFields = new Set(
    fileFields
      .filter((f) => /codice fiscale|tessera|sanitaria|\bcie\b|identit/i.test(f.nome))
      .map((f) => f.key),
  );
  const mayCarryCard = (info: AttachmentInfo) => info.sourceKind !== 'pdf' && cardFields.has(info.fieldKey);

  const refreshDraft = useCallback(
    () => client.invalidateQueries({ queryKey: keys.draft(draft.id) }),
    [client, draft.id],
  );

  // Every keystroke is kept: saved to main shortly after typing stops, and when leaving the page.
  // Saves run one after the other, and flush() resolves only when everything typed is in main.
  const saving = useRef<Promise<void>>(Promise.resolve());
  const flush = useCallback(() => {
    const run = saving.current.then(async () => {
      const next = pending.current;
      if (!next) return;
      pending.current = null;
      setSaveState('saving');
      try {
        await api.drafts.update(draft.id, { fields: next });
        setSaveState('saved');
      } catch {
        pending.current ??= next;
        setSaveState('failed');
      }
    });
    saving.current = run;
    return run;
  }, [draft.id]);
  const debouncedFlush = useDebouncedCallback(() => void flush(), 400);
  useEffect(() => () => void flush(), [flush]);

  const setValue = (key: string, value: string) => {
    setValues((previous) => {
      const next = { ...previous, [key]: value };
      pending.current = next;
      return next;
    });
    setSaveState('saving');
    debouncedFlush();
  };

  const toggleOption = async (nome: string, on: boolean) => {
    const next = on ? [...options, nome] : options.filter((o) => o !== nome);
    setOptions(next);
    await api.drafts.update(draft.id, { options: next });
  };

  const setSlot = (slot: Slot, state: SlotState) =>
    setSlotStates((s) => ({ ...s, [`${slot.fieldKey}:${slot.position}`]: state }));
  const slotState = (slot: Slot): SlotState =>
    slotStates[`${slot.fieldKey}:${slot.position}`] ?? { busy: false, error: null };

  /** The empty places, in form order, from `start` on: where several dropped files go. */
  const emptySlotsFrom = (start: Slot): Slot[] => {
    const all: Slot[] = [];
    for (const f of fileFields) {
      const taken = new Set(attachments.filter((a) => a.fieldKey === f.key).map((a) => a.position));
      const count = fronteRetro[f.key] ? 2 : 1;
      for (let p = 0; p < count; p++) if (!taken.has(p)) all.push({ fieldKey: f.key, position: p });
    }
    const index = all.findIndex((s) => s.fieldKey === start.fieldKey && s.position === start.position);
    return index >= 0
      ? all.slice(index)
      : [start, ...all.filter((s) => s.fieldKey !== start.fieldKey || s.position !== start.position)];
  };

  const placeFiles = async (files: File[], start: Slot, replace: AttachmentInfo | null) => {
    const targets: Slot[] = replace ? [start] : emptySlotsFrom(start);
    for (let i = 0; i < files.length; i++) {
      // More files than empty places: the rest become further pages of the field dropped on.
      const slot = targets[i] ?? { fieldKey: start.fieldKey, position: 99 };
      const file = files[i]!;
      setSlot(slot, { busy: true, error: null });
      try {
        if (replace && i === 0) await api.attachments.remove(draft.id, replace.id);
        const source = await sourceOf(file);
        const fieldCount = attachments.filter((a) => a.fieldKey === slot.fieldKey).length;
        const info = await api.attachments.add(
          draft.id,
          slot.fieldKey,
          source,
          slot.position < fieldCount || replace ? slot.position : undefined,
        );
        setSlot(slot, { busy: false, error: null });
        if (mayCarryCard(info)) void readCard(() => api.barcode.read(draft.id, info.id));
      } catch (error) {
        setSlot(slot, { busy: false, error });
      }
      await refreshDraft();
    }
  };

  const takeScan = async (scan: RecentScan, fieldKey: string) => {
    const slot = emptySlotsFrom({ fieldKey, position: 0 }).find((x) => x.fieldKey === fieldKey) ?? {
      fieldKey,
      position: 99,
    };
    setSlot(slot, { busy: true, error: null });
    if (cardFields.has(fieldKey)) void readCard(() => api.barcode.readScan(scan.id));
    try {
      const count = attachments.filter((a) => a.fieldKey === fieldKey).length;
      await api.scans.use(draft.id, fieldKey, scan.id, slot.position < count ? slot.position : undefined);
      setSlot(slot, { busy: false, error: null });
    } catch (error) {
      setSlot(slot, { busy: false, error });
    }
    await refreshDraft();
  };

  const removePart = async (part: AttachmentInfo) => {
    try {
      await api.attachments.remove(draft.id, part.id);
    } catch (error) {
      notifications.show({ color: 'red', message: describeError(error) });
    }
    await refreshDraft();
  };

  // Paste (Ctrl+V) of a screenshot or a copied image: into the slot last focused, else the first empty one.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      const first =
        focusedSlot.current ?? emptySlotsFrom({ fieldKey: fileFields[0]?.key ?? '', position: 0 })[0];
      if (first) void placeFiles(files, first, null);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  });

  const discard = useMutation({
    mutationFn: () => api.drafts.discard(draft.id),
    onSuccess: () => {
      notifications.show({ message: t('draft.discarded') });
      void navigate('/');
    },
  });

  const proceed = async () => {
    setReveal(true);
    if (!ready) return;
    await flush();
    void navigate(`/nuova/${draft.id}/conferma`);
  };

  const names = (list: string[]) =>
    list.map((k) => prettifyName(service.fields.find((f) => f.key === k)?.nome ?? k)).join(', ');
  const checklist = checklistFor(service.nome);

  return (
    <Stack maw={980} gap="lg" pb={80}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {service.categoria}
          </Text>
          <Title order={2}>{service.nome}</Title>
          <Text size="sm">
            {t('draft.basePrice', { price: net(service.prezzo) })}
            {service.ricerca ? ` · ${t('draft.searchPrice', { price: net(service.prezzoRicerca) })}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <Text size="xs" c={saveState === 'failed' ? 'red' : 'dimmed'} data-testid="save-state">
            {t(`draft.save.${saveState}`)}
          </Text>
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => discard.mutate()}
            loading={discard.isPending}
          >
            {t('draft.discard')}
          </Button>
        </Group>
      </Group>

      {draft.lastError && <ErrorAlert error={draft.lastError} title={t('draft.lastErrorTitle')} />}
      <Instructions html={service.istruzioniHtml} />

      {card && cfField && (
        <CardReading
          reading={card}
          typed={values[cfField.key] ?? ''}
          onUse={(cf) => {
            setValue(cfField.key, cf);
            setCard(null);
          }}
          onClose={() => setCard(null)}
        />
      )}
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Title order={4}>{t('draft.client')}</Title>
          {inputFields.map((field, index) => (
            <FieldInput
              key={field.key}
              autoFocus={index === 0}
              field={field}
              value={values[field.key] ?? ''}
              onChange={(v) => setValue(field.key, v)}
              reveal={reveal}
              missing={missing.has(field.key)}
            />
          ))}
        </Stack>
      </Paper>

      {fileFields.length > 0 && (
        <Stack gap="sm">
          <Title order={4}>{t('draft.documents')}</Title>
          {checklist && (
            <Paper withBorder radius="md" p="sm" bg="gray.0">
              <Text size="sm" fw={600} mb={4}>
                {t('draft.checklist')}
              </Text>
              <List
                size="sm"
                spacing={2}
                icon={
                  <ThemeIcon size={16} radius="xl" color="gray" variant="light">
                    <IconCircleDashed size={12} />
                  </ThemeIcon>
                }
              >
                {checklist.map((item) => (
                  <List.Item key={item}>{item}</List.Item>
                ))}
              </List>
            </Paper>
          )}
          <ScanTray fileFields={fileFields} onUse={(scan, key) => void takeScan(scan, key)} />
          {fileFields.map((field) => (
            <FileField
              key={field.key}
              draftId={draft.id}
              field={field}
              parts={attachments
                .filter((a) => a.fieldKey === field.key)
                .sort((a, b) => a.position - b.position)}
              fronteRetro={fronteRetro[field.key] ?? false}
              onMode={(on) => setFronteRetro((m) => ({ ...m, [field.key]: on }))}
              missing={missing.has(field.key)}
              reveal={reveal}
              onFiles={(files, slot, replace) => void placeFiles(files, slot, replace)}
              onRemove={(part) => void removePart(part)}
              onFocusSlot={(slot) => (focusedSlot.current = slot)}
              state={slotState}
              actions={
                <FieldActions
                  draftId={draft.id}
                  field={field}
                  onScanned={() => void refreshDraft()}
                  beforeGenerate={flush}
                />
              }
            />
          ))}
        </Stack>
      )}

      {service.opzioni.length > 0 && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="xs">
            <Title order={4}>{t('draft.options')}</Title>
            {service.opzioni.map((o) => (
              <Checkbox
                key={o.nome}
                label={`${optionLabel(t, o.tipo)} (+${net(o.prezzo)})`}
                checked={options.includes(o.nome)}
                onChange={(e) => void toggleOption(o.nome, e.currentTarget.checked)}
              />
            ))}
          </Stack>
        </Paper>
      )}

      <Paper withBorder radius="md" p="md" pos="sticky" bottom={0} style={{ zIndex: 5 }} shadow="sm">
        <Group justify="space-between">
          <div data-testid="validazione-state">
            {ready ? (
              <Group gap={6}>
                <IconCheck size={18} color="var(--mantine-color-teal-6)" />
                <Text size="sm">{t('draft.complete')}</Text>
              </Group>
            ) : Object.keys(check.issues).length ? (
              <Text size="sm" c="red">
                {t('draft.invalid', { fields: names(Object.keys(check.issues)) })}
              </Text>
            ) : (
              <Text size="sm" c="orange.8">
                {t('draft.missing', { fields: names(check.missing) })}
              </Text>
            )}
          </div>
          <Button
            rightSection={<IconArrowRight size={18} />}
            onClick={() => void proceed()}
            size="md"
            disabled={reveal && !ready}
          >
            {t('draft.proceed')}
          </Button>
        </Group>
      </Paper>
      {saveState === 'failed' && <Alert color="red">{t('draft.saveFailed')}</Alert>}
      {Object.values(slotStates).some((s) => s.busy) && (
        <Badge pos="fixed" bottom={20} right={20} size="lg" leftSection={<Loader size={12} color="white" />}>
          {t('draft.processing')}
        </Badge>
      )}
    </Stack>
  );
}

export function optionLabel(t: (k: string) => string, tipo: string): string {
  const known: Record<string, string> = {
    urgenza: 'draft.option.urgenza',
    assistenza_dedicata: 'draft.option.assistenza_dedicata',
  };
  return known[tipo] ? t(known[tipo]) : prettifyName(tipo);
}
