import { Alert, Anchor, Button, Checkbox, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from '../../lib/router.tsx';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../common/catalog.ts';
import { checkForm, clientOf, valuesFromDocument } from '../../../common/form.ts';
import type { AttachmentInfo, Draft, Placement } from '../../../common/requests.ts';
import type { CardBarcodeReading, DocumentIdentity } from '../../../common/reading.ts';
import type { RecentScan } from '../../../common/scanning.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { describeError, errorCode } from '../../lib/errors.ts';
import { megabytes, net, prettifyName } from '../../lib/format.ts';
import { invalidateRequest, keys } from '../../lib/queries.ts';
import { CardReading } from './CardReading.tsx';
import { checklistHint } from './checklists.ts';
import { ClientPanel } from './ClientPanel.tsx';
import { DropAll } from './DropAll.tsx';
import { FieldActions } from './FieldActions.tsx';
import { FieldInput } from './FieldInput.tsx';
import { FileField, type SlotState } from './FileField.tsx';
import { HolderReading } from './HolderReading.tsx';
import {
  cardFields,
  codiceFiscaleField,
  focusAfterFill,
  insertAt,
  layout,
  nextSlot,
  opensTwoSided,
  partsOf,
  problemsOf,
  worthReading,
  type Slot,
} from './draft.ts';
import { sourceOf } from './files.ts';
import { Instructions } from './Instructions.tsx';
import { optionLabel } from './options.ts';
import { ScanTray } from './ScanTray.tsx';
import { SendPanel } from './SendPanel.tsx';
import { useDraftAutosave } from './useDraftAutosave.ts';

export function DraftPage() {
  const { draftId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  // Always asked again on arrival: a request sent a moment ago must never show as a draft.
  const draft = useQuery({
    queryKey: keys.draft(draftId),
    queryFn: () => api.drafts.get(draftId),
    refetchOnMount: 'always',
    staleTime: 0,
  });
  const detail = useQuery({
    queryKey: keys.detail(draft.data?.serviceHash ?? ''),
    queryFn: () => api.catalog.detail(draft.data!.serviceHash),
    enabled: !!draft.data && !draft.isFetching,
  });
  const gone = draft.isError && errorCode(draft.error) === 'draft_not_found';
  // No longer a draft: if it was sent, its own page says what became of it.
  const sent = useQuery({
    queryKey: keys.request(draftId),
    queryFn: () => api.requests.get(draftId),
    enabled: gone,
    retry: false,
  });
  useEffect(() => {
    if (sent.data && sent.data.status !== 'draft') {
      notifications.show({ message: t('draft.alreadySent') });
      void navigate(`/pratiche/${draftId}`, { replace: true });
    }
  }, [sent.data, draftId, navigate, t]);

  if (draft.isError) {
    if (gone && (sent.isPending || sent.data)) return <Loader aria-label={t('app.loading')} />;
    return (
      <Stack maw={700}>
        <ErrorAlert error={draft.error} />
        {gone && <Anchor href="#/pratiche">{t('draft.goToRequests')}</Anchor>}
      </Stack>
    );
  }
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  // A cached copy is not shown while it is being checked again: it may have been sent meanwhile.
  if (!draft.data || !detail.data || (draft.isFetching && !draft.isFetchedAfterMount))
    return <Loader aria-label={t('app.loading')} />;
  return <DraftForm key={draft.data.id} draft={draft.data} service={detail.data} />;
}

function DraftForm({ draft, service }: { draft: Draft; service: ServiceDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(draft.fields);
  const [options, setOptions] = useState<string[]>(draft.options);
  const [sendToClient, setSendToClient] = useState(draft.sendToClient);
  const [prefilled, setPrefilled] = useState<Record<string, string>>(draft.prefilled);
  const [reveal, setReveal] = useState(false);
  const autosave = useDraftAutosave(draft.id);
  const { flush } = autosave;
  const [slotStates, setSlotStates] = useState<Record<string, SlotState>>({});
  const [placement, setPlacement] = useState<Placement | null>(null);
  const [placing, setPlacing] = useState(false);
  const [placeError, setPlaceError] = useState<unknown>(null);
  const [fronteRetro, setFronteRetro] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(
      layout(service.fields).files.map((f) => [f.key, opensTwoSided(f, partsOf(draft.attachments, f.key))]),
    ),
  );
  const [card, setCard] = useState<CardBarcodeReading | null>(null);
  // What an identity document's MRZ said, what it filled (marked "dal documento" while unchanged),
  // and where it disagrees with what was typed.
  const [holder, setHolder] = useState<DocumentIdentity | null>(null);
  const [fromDocument, setFromDocument] = useState<Record<string, string>>({});
  const [holderNote, setHolderNote] = useState<{ filled: number; differs: Record<string, string> } | null>(
    null,
  );
  // The form as it is now, for readings that come back after the clerk typed on.
  const valuesNow = useRef(values);
  const fromDocumentNow = useRef(fromDocument);
  useEffect(() => {
    valuesNow.current = values;
    fromDocumentNow.current = fromDocument;
  });
  const focusedSlot = useRef<Slot | null>(null);
  const formats = useQuery({
    queryKey: ['attachments.formats'],
    queryFn: () => api.attachments.formats(),
    staleTime: Infinity,
  });

  const attachments = draft.attachments;
  const { inputs: inputFields, files: fileFields } = layout(service.fields);
  const present = useMemo(() => new Set(attachments.map((a) => a.fieldKey)), [attachments]);
  const check = checkForm(service, values, present);
  const problems = problemsOf(service.fields, check);
  const missing = new Set(problems.missing);
  const who = clientOf(service.fields, check.values);

  const cfField = codiceFiscaleField(inputFields);
  const cards = cardFields(fileFields);

  /** Fields the identity document fills: empty ones, or ones it filled before; the others are compared. */
  const applyHolder = (identity: DocumentIdentity, overwrite: boolean) => {
    const now = valuesNow.current;
    const offered = valuesFromDocument(service.fields, identity);
    const fill: Record<string, string> = {};
    const differs: Record<string, string> = {};
    for (const [key, value] of Object.entries(offered)) {
      const typed = (now[key] ?? '').trim();
      if (overwrite || !typed || fromDocumentNow.current[key] === typed) fill[key] = value;
      else if (fold(typed) !== fold(value)) differs[key] = value;
    }
    setHolder(identity);
    setHolderNote({ filled: Object.keys(fill).length, differs });
    fillFromPapers(fill);
  };

  /**
   * What a paper said, into the form and marked "dal documento", saved at once. The refs are moved
   * on at once too: two papers read in one drop (the card's MRZ, the tessera's barcode) each add
   * their fields to what the other filled, not to the values of the last render.
   */
  const fillFromPapers = (fill: Record<string, string>) => {
    if (!Object.keys(fill).length) return;
    fromDocumentNow.current = { ...fromDocumentNow.current, ...fill };
    setFromDocument((f) => ({ ...f, ...fill }));
    const next = { ...valuesNow.current, ...fill };
    valuesNow.current = next;
    setValues(next);
    autosave.change(next);
    autosave.saveNow();
  };

  /**
   * A part put where a card goes is read (main/reading/): an identity document's MRZ fills the
   * form, a card's barcode proposes the codice fiscale (or flags a mismatch).
   */
  const readPart = async (attachmentId: string) => {
    try {
      const reading = await api.attachments.read(draft.id, attachmentId);
      if (reading.card && cfField) {
        // A valid code read from its barcode (check letter verified) goes into an empty field, or
        // one a paper filled; one the clerk typed, or an invalid code, is shown by CardReading.
        const typed = (valuesNow.current[cfField.key] ?? '').trim();
        if (reading.card.valid && (!typed || fromDocumentNow.current[cfField.key] === typed)) {
          fillFromPapers({ [cfField.key]: reading.card.cf });
          setCard(null);
        } else setCard(reading.card);
      }
      if (reading.identity) applyHolder(reading.identity, false);
    } catch (error) {
      // No reading is not a problem: the clerk types as always.
      console.info('documento non letto', error);
    }
  };

  const refreshDraft = useCallback(
    () => client.invalidateQueries({ queryKey: keys.draft(draft.id) }),
    [client, draft.id],
  );

  // Every keystroke is kept (useDraftAutosave): saved shortly after typing stops, and on leaving.
  const setValue = (key: string, value: string) => {
    const next = { ...values, [key]: value };
    setValues(next);
    autosave.change(next);
  };

  /** A keystroke in a field: what the clerk typed, as opposed to what a paper or a card filled in. */
  const typedKey = useRef<string | null>(null);
  const typeValue = (key: string, value: string) => {
    typedKey.current = key;
    setValue(key, value);
  };

  // Fields filled without a keystroke under the caret — what the identity card or the tessera
  // said, a known client's data, a card's code — move the focus on to the first field still
  // empty, where the clerk types what no paper says without looking for it.
  const before = useRef(values);
  useEffect(() => {
    const previous = before.current;
    before.current = values;
    const typed = typedKey.current;
    typedKey.current = null;
    const active = document.activeElement;
    // null: nothing has the focus; '': something that is not one of the form's inputs.
    const focused =
      !active || active === document.body
        ? null
        : active instanceof HTMLElement
          ? (active.dataset.field ?? '')
          : '';
    const next = focusAfterFill(layout(service.fields).inputs, previous, values, typed, focused);
    if (next) document.querySelector<HTMLElement>(`[data-field="${next}"]`)?.focus();
  }, [values, service.fields]);

  /** Several fields at once (a known client's data): kept and marked as copied, saved at once. */
  const fillFrom = (copied: Record<string, string>) => {
    setPrefilled((p) => ({ ...p, ...copied }));
    const next = { ...values, ...copied };
    setValues(next);
    autosave.change(next);
    autosave.saveNow();
  };

  const toggleOption = async (nome: string, on: boolean) => {
    const next = on ? [...options, nome] : options.filter((o) => o !== nome);
    setOptions(next);
    try {
      await api.drafts.update(draft.id, { options: next });
    } catch (error) {
      setOptions(options);
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 });
    }
  };

  const toggleSendToClient = async (on: boolean) => {
    setSendToClient(on);
    try {
      await api.drafts.update(draft.id, { sendToClient: on });
    } catch (error) {
      setSendToClient(!on);
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 });
    }
  };

  const setSlot = (slot: Slot, state: SlotState) =>
    setSlotStates((s) => ({ ...s, [`${slot.fieldKey}:${slot.position}`]: state }));
  const slotState = (slot: Slot): SlotState =>
    slotStates[`${slot.fieldKey}:${slot.position}`] ?? { busy: false, error: null };

  /** Several files at once: main places each in the field it most likely is (name, barcode, pages). */
  const placeMany = async (files: File[], hint?: string) => {
    setPlacing(true);
    setPlacement(null);
    setPlaceError(null);
    try {
      const sources = await Promise.all(files.map(sourceOf));
      const result = await api.attachments.place(draft.id, sources, hint);
      setPlacement(result);
      await refreshDraft();
      for (const p of result.placed) if (worthReading(p, cards)) void readPart(p.attachmentId);
    } catch (error) {
      setPlaceError(error);
    } finally {
      setPlacing(false);
    }
  };

  const placeFiles = async (files: File[], start: Slot, replace: AttachmentInfo | null) => {
    if (files.length > 1 && !replace) return placeMany(files, start.fieldKey);
    const file = files[0];
    if (!file) return;
    setSlot(start, { busy: true, error: null });
    try {
      if (replace) await api.attachments.remove(draft.id, replace.id);
      const source = await sourceOf(file);
      const info = await api.attachments.add(
        draft.id,
        start.fieldKey,
        source,
        insertAt(start, partsOf(attachments, start.fieldKey).length, !!replace),
      );
      setSlot(start, { busy: false, error: null });
      if (worthReading(info, cards)) void readPart(info.id);
    } catch (error) {
      setSlot(start, { busy: false, error });
    }
    await refreshDraft();
  };

  /** Files made for one field (the camera's fronte then retro): each after the field's parts. */
  const addToField = async (files: File[], fieldKey: string) => {
    for (const file of files) {
      const current = (client.getQueryData<Draft>(keys.draft(draft.id)) ?? draft).attachments;
      await placeFiles([file], nextSlot(current, fieldKey), null);
    }
  };

  /** A scan from the tray: after the field's parts. */
  const takeScan = async (scan: RecentScan, fieldKey: string) => {
    const slot = nextSlot(attachments, fieldKey);
    setSlot(slot, { busy: true, error: null });
    try {
      const info = await api.scans.use(draft.id, fieldKey, scan.id);
      setSlot(slot, { busy: false, error: null });
      if (worthReading(info, cards)) void readPart(info.id);
    } catch (error) {
      setSlot(slot, { busy: false, error });
    }
    await refreshDraft();
  };

  const removePart = async (part: AttachmentInfo) => {
    try {
      await api.attachments.remove(draft.id, part.id);
    } catch (error) {
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 });
    }
    await refreshDraft();
  };

  const movePart = async (part: AttachmentInfo, fieldKey: string) => {
    try {
      await api.attachments.move(draft.id, part.id, fieldKey);
      const field = fileFields.find((f) => f.key === fieldKey);
      notifications.show({ message: t('draft.moved', { field: prettifyName(field?.nome ?? fieldKey) }) });
    } catch (error) {
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 });
    }
    await refreshDraft();
  };

  // Paste (Ctrl+V) of a screenshot or a copied image: into the slot last focused, else placed.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (!files.length) {
        // Text pasted where no field takes it (the drop zone, a slot): never silently nothing.
        if (!takesText(event.target) && event.clipboardData?.types.includes('text/plain'))
          notifications.show({ color: 'orange', message: t('draft.pastedText'), autoClose: 10_000 });
        return;
      }
      event.preventDefault();
      if (focusedSlot.current) void placeFiles(files, focusedSlot.current, null);
      else void placeMany(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  });

  // Papers dropped anywhere on the form (not on a slot or the drop zone, which take their own) go
  // as one drop: the clerk need not scroll to the drop zone first.
  const [dragging, setDragging] = useState(false);
  const dragEnd = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const onZone = (target: EventTarget | null) =>
      target instanceof Element && !!target.closest('.mantine-Dropzone-root');
    const carriesFiles = (event: DragEvent) => !!event.dataTransfer?.types.includes('Files');
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      clearTimeout(dragEnd.current);
      // dragleave fires at every child crossed: the hint goes when no dragover comes for a moment.
      dragEnd.current = setTimeout(() => setDragging(false), 300);
      if (onZone(event.target)) return setDragging(false);
      event.preventDefault();
      event.dataTransfer!.dropEffect = 'copy';
      setDragging(true);
    };
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      if (!carriesFiles(event) || onZone(event.target)) return;
      event.preventDefault();
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length) void placeMany(files);
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
    };
  });
  useEffect(() => () => clearTimeout(dragEnd.current), []);

  const discard = useMutation({
    mutationFn: () => api.drafts.discard(draft.id),
    onSuccess: () => {
      client.removeQueries({ queryKey: keys.draft(draft.id) });
      invalidateRequest(client, draft.id);
      notifications.show({ message: t('draft.discarded') });
      void navigate('/');
    },
    onError: (error) =>
      notifications.show({ color: 'red', message: describeError(error), autoClose: 10_000 }),
  });

  // "Mancano: …" lists fields as the clerk sees them (problemsOf gives them in that order).
  const names = (list: string[]) =>
    list.map((k) => prettifyName(service.fields.find((f) => f.key === k)?.nome ?? k)).join(', ');
  const formatNames = formats.data?.names ?? [];
  // Told where papers are dropped, before any is refused for its size.
  const limits = formats.data?.limits;
  const isPrefilled = (key: string) => prefilled[key] !== undefined && prefilled[key] === values[key];
  const isFromDocument = (key: string) =>
    fromDocument[key] !== undefined && fromDocument[key] === values[key];
  const fieldName = (key: string) => prettifyName(service.fields.find((f) => f.key === key)?.nome ?? key);
  // What the service refused when the request was sent (the closing PUT validates what a price
  // check may not): shown on its field until the clerk changes the value.
  const refused = serviceRefusals(draft);
  const refusedNow = (key: string) => (values[key] === draft.fields[key] ? refused[key] : undefined);
  const copiedFrom = Object.keys(prefilled).length ? [who.cognome, who.nome].filter(Boolean).join(' ') : '';

  return (
    <Stack maw={980} gap="lg" pb={40}>
      {dragging && (
        <Paper
          pos="fixed"
          top="calc(var(--shell-header) + 16px)"
          left="50%"
          style={{ transform: 'translateX(-50%)', zIndex: 200, pointerEvents: 'none' }}
          shadow="md"
          radius="md"
          px="lg"
          py="sm"
          bg="teal.0"
          withBorder
          data-testid="drop-anywhere"
        >
          <Text fw={600} c="teal.9">
            {t('draft.dropAnywhere')}
          </Text>
        </Paper>
      )}
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
          <Text
            size="xs"
            c={autosave.state === 'failed' ? 'red.8' : 'dimmed'}
            data-testid="save-state"
            role="status"
          >
            {t(`draft.save.${autosave.state}`)}
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
      {draft.remoteId && (
        <Alert variant="light" color="blue" data-testid="open-remote">
          {t('draft.openRemote')}
        </Alert>
      )}
      <Instructions html={service.istruzioniHtml} />

      {holder && holderNote && (
        <HolderReading
          holder={holder}
          filled={holderNote.filled}
          differs={service.fields.filter((f) => f.key in holderNote.differs).map((f) => fieldName(f.key))}
          onUse={() => applyHolder(holder, true)}
          onClose={() => setHolderNote(null)}
          today={isoToday()}
        />
      )}
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
          <Title order={3} size="h4">
            {t('draft.client')}
          </Title>
          {copiedFrom && (
            <Alert variant="light" color="blue" data-testid="prefilled-banner">
              {t('draft.prefilledBanner', { name: copiedFrom })}
            </Alert>
          )}
          {inputFields.map((field, index) => (
            <FieldInput
              key={field.key}
              autoFocus={index === 0 && !copiedFrom}
              field={field}
              value={values[field.key] ?? ''}
              onChange={(v) => typeValue(field.key, v)}
              reveal={reveal}
              missing={missing.has(field.key)}
              prefilled={isPrefilled(field.key)}
              fromDocument={isFromDocument(field.key)}
              refused={refusedNow(field.key)}
            />
          ))}
          <Checkbox
            label={t('draft.sendToClient')}
            description={
              who.email ? t('draft.sendToClientHelp', { email: who.email }) : t('draft.sendToClientNoEmail')
            }
            checked={sendToClient}
            disabled={!who.email && !sendToClient}
            onChange={(e) => void toggleSendToClient(e.currentTarget.checked)}
            data-testid="send-to-client"
          />
        </Stack>
      </Paper>

      <ClientPanel
        draftId={draft.id}
        service={service}
        cf={cfField && !check.issues[cfField.key] ? (check.values[cfField.key] ?? null) : null}
        values={values}
        prefilled={Object.keys(prefilled).length > 0}
        onFill={fillFrom}
        onFilesAdded={() => void refreshDraft()}
        beforeSave={flush}
        documentExpiry={holder?.expiry ?? null}
      />

      {fileFields.length > 0 && (
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('draft.documents')}
          </Title>
          <DropAll
            formats={formatNames}
            limits={
              limits &&
              t('draft.dropLimits', {
                document: megabytes(limits.documentBytes),
                file: megabytes(limits.fileBytes),
                request: megabytes(limits.requestBytes),
              })
            }
            busy={placing}
            onFiles={(files) => void placeMany(files)}
            placement={placement}
            error={placeError}
            fields={fileFields}
            onClose={() => setPlacement(null)}
          />
          <ScanTray fileFields={fileFields} onUse={(scan, key) => void takeScan(scan, key)} />
          {fileFields.map((field) => (
            <FileField
              key={field.key}
              draftId={draft.id}
              field={field}
              fields={fileFields}
              parts={attachments
                .filter((a) => a.fieldKey === field.key)
                .sort((a, b) => a.position - b.position)}
              fronteRetro={fronteRetro[field.key] ?? false}
              onMode={(on) => setFronteRetro((m) => ({ ...m, [field.key]: on }))}
              missing={missing.has(field.key)}
              reveal={reveal}
              hint={checklistHint(service.nome, field)}
              formats={formatNames}
              pdfLimit={limits && megabytes(limits.documentBytes)}
              onFiles={(files, slot, replace) => void placeFiles(files, slot, replace)}
              onRemove={(part) => void removePart(part)}
              onCaptured={(files, key) => void addToField(files, key)}
              onMove={(part, key) => void movePart(part, key)}
              onFocusSlot={(slot) => (focusedSlot.current = slot)}
              state={slotState}
              actions={
                <FieldActions
                  draftId={draft.id}
                  field={field}
                  onScanned={(parts) => {
                    void refreshDraft();
                    for (const p of parts) if (worthReading(p, cards)) void readPart(p.id);
                  }}
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
            <Title order={3} size="h4">
              {t('draft.options')}
            </Title>
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

      {autosave.state === 'failed' && (
        <Alert color="red">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t('draft.saveFailed')}</Text>
            <Button size="xs" variant="light" color="red" onClick={autosave.saveNow}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {/* Last: its send bar sticks to the window's bottom over the whole form. */}
      <SendPanel
        draft={draft}
        service={service}
        values={check.values}
        options={options}
        sendToClient={sendToClient && !!who.email}
        holder={holder}
        ready={problems.ready}
        saved={autosave.state === 'saved'}
        flush={flush}
        status={
          problems.ready ? null : problems.invalid.length ? (
            <Text size="sm" c="red.8">
              {t('draft.invalid', { fields: names(problems.invalid) })}
            </Text>
          ) : (
            <Text size="sm" c="orange.9">
              {t('draft.missing', { fields: names(problems.missing) })}
            </Text>
          )
        }
        onReveal={() => {
          setReveal(true);
          // Straight to the first thing to fix, in the order the clerk sees the form.
          const first = problems.first;
          const target =
            document.querySelector<HTMLElement>(`[data-field="${first}"]`) ??
            document.querySelector<HTMLElement>(`[data-slot="${first}:0"]`);
          target?.focus();
        }}
        processing={placing || Object.values(slotStates).some((s) => s.busy)}
      />
    </Stack>
  );
}

/** Upper or lower case, with or without accents: "ROSSI" is "Rossi". */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();

/** Today on this computer's calendar, yyyy-mm-dd. */
function isoToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Whether a paste there goes into a field (text), rather than to the form's documents. */
function takesText(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * The fields the service refused at the last sending, by key, in its own words (the API sends
 * per-field errors as a JSON object): empty when the last error was not the service's refusal.
 */
function serviceRefusals(draft: Draft): Record<string, string> {
  const error = draft.lastError;
  if (error?.code !== 'validation_failed' || !error.details) return {};
  if (!('status' in error.details || 'apiCode' in error.details)) return {};
  const fields = error.details.fields;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return {};
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(fields as Record<string, unknown>))
    if (/^\$\d+$/.test(key) && typeof text === 'string' && text.trim()) out[key] = text.trim();
  return out;
}
