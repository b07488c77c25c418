import { Group, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconHistory, IconId } from '@tabler/icons-react';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field } from '../../../common/catalog.ts';
import { lookupPlace } from '../../../common/validators/belfiore.ts';
import {
  normalizeCodiceFiscale,
  type CodiceFiscalePersonaInfo,
} from '../../../common/validators/codiceFiscale.ts';
import { checkFieldFor, effectiveKind, type FieldKind } from '../../../common/validators/field.ts';
import { day, prettifyName } from '../../lib/format.ts';
import { helpText } from '../../lib/help-text.ts';
import { caretAfter, editCf, groupedWhileTyping } from './cfTyping.ts';

interface Props {
  field: Field;
  value: string;
  onChange: (value: string) => void;
  /** Show the problem even before the clerk leaves the field (after "Avanti"). */
  reveal: boolean;
  missing: boolean;
  autoFocus?: boolean;
  /** Copied from the client's last request and not changed since: marked for the clerk to confirm. */
  prefilled?: boolean;
  /** Read from the client's identity document (its MRZ) and not changed since: marked likewise. */
  fromDocument?: boolean;
  /** The service refused this value when the request was sent (its own words), until it is changed. */
  refused?: string | undefined;
}

const INPUT: Partial<
  Record<
    FieldKind,
    { type?: string; maxLength?: number; upper?: boolean; mono?: boolean; autoComplete?: string }
  >
> = {
  email: { type: 'email', autoComplete: 'off' },
  mobile: { type: 'tel' },
  phone: { type: 'tel' },
  // No maxLength: the code is typed grouped or pasted with blanks (cfTyping.ts), and a cut code
  // would hide the mistake the length check names.
  codiceFiscalePersona: { mono: true },
  codiceFiscale: { mono: true },
  partitaIva: { maxLength: 11, mono: true },
  comune: { maxLength: 4, upper: true, mono: true },
  provincia: { maxLength: 2, upper: true, mono: true },
  date: { type: 'date' },
};

const isCf = (kind: FieldKind) => kind === 'codiceFiscalePersona' || kind === 'codiceFiscale';

/** When a value is complete enough to judge while typing (a CF of 16 characters, …). */
function complete(kind: FieldKind, value: string): boolean {
  const v = value.trim();
  if (isCf(kind)) return normalizeCodiceFiscale(v).length >= 16;
  if (kind === 'partitaIva') return v.length >= 11;
  if (kind === 'comune') return v.length >= 4;
  if (kind === 'provincia') return v.length >= 2;
  if (kind === 'date') return v.length >= 10;
  return false;
}

/** One input of the form, typed by the field's kind, checked live with the common/ validators. */
export function FieldInput({
  field,
  value,
  onChange,
  reveal,
  missing,
  autoFocus,
  prefilled,
  fromDocument,
  refused,
}: Props) {
  const { t } = useTranslation();
  const kind = effectiveKind(field);
  const spec = INPUT[kind] ?? {};
  const [blurred, setBlurred] = useState(false);
  const filled = value.trim() !== '';
  const check = filled ? checkFieldFor(field, value) : null;
  const showIssue = check && !check.ok && (blurred || reveal || complete(kind, value));
  const label = prettifyName(field.nome);
  // A codice fiscale is kept as the code and shown grouped; the caret is put back after each edit.
  const cf = isCf(kind);
  const shown = cf ? groupedWhileTyping(normalizeCodiceFiscale(value)) : value;
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  const [, edited] = useReducer((n: number) => n + 1, 0);
  useLayoutEffect(() => {
    if (caret.current === null || !input.current) return;
    const at = caretAfter(shown, caret.current);
    caret.current = null;
    input.current.setSelectionRange(at, at);
  });

  let error: string | undefined;
  if (showIssue && check && !check.ok) error = check.issue.message;
  else if (refused) error = t('draft.refusedByService', { reason: refused });
  else if (missing && reveal) error = t('draft.required');

  return (
    <TextInput
      label={label}
      description={field.istruzioni ? helpText(field.istruzioni) : undefined}
      ref={input}
      value={shown}
      type={spec.type ?? 'text'}
      maxLength={spec.maxLength}
      autoComplete={spec.autoComplete ?? 'off'}
      spellCheck={false}
      error={error}
      withAsterisk={missing}
      data-field={field.key}
      autoFocus={autoFocus}
      styles={
        spec.mono
          ? { input: { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', letterSpacing: 1 } }
          : undefined
      }
      onChange={(e) => {
        const target = e.currentTarget;
        if (cf) {
          const edit = editCf(
            normalizeCodiceFiscale(value),
            target.value,
            target.selectionStart ?? target.value.length,
            (e.nativeEvent as InputEvent).inputType,
          );
          caret.current = edit.caret;
          edited();
          onChange(edit.code);
        } else onChange(spec.upper ? target.value.toUpperCase() : target.value);
      }}
      onBlur={() => setBlurred(true)}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      rightSection={
        check?.ok && !refused ? (
          <IconCircleCheck
            size={18}
            color="var(--mantine-color-teal-8)"
            aria-label={t('draft.valid')}
            role="img"
          />
        ) : undefined
      }
      inputContainer={(children) => (
        <>
          {children}
          {fromDocument && (
            <Group gap={4} mt={4} data-testid="from-document">
              <IconId size={14} aria-hidden color="var(--mantine-color-blue-8)" />
              <Text size="xs" c="blue.8">
                {t('draft.fromDocument')}
              </Text>
            </Group>
          )}
          {prefilled && !fromDocument && (
            <Group gap={4} mt={4} data-testid="prefilled">
              <IconHistory size={14} aria-hidden color="var(--mantine-color-blue-8)" />
              <Text size="xs" c="blue.8">
                {t('draft.prefilled')}
              </Text>
            </Group>
          )}
          {check?.ok && cf && check.info && 'kind' in check.info && check.info.kind === 'persona' && (
            <CfDetails info={check.info} />
          )}
          {check?.ok && kind === 'comune' && <PlaceName code={check.value} />}
        </>
      )}
    />
  );
}

function CfDetails({ info }: { info: CodiceFiscalePersonaInfo }) {
  const { t } = useTranslation();
  const place = usePlace(info.placeCode);
  return (
    <Group gap={6} mt={4} data-testid="cf-details">
      <Text size="xs" c="teal.8">
        {t(info.sex === 'F' ? 'draft.cfBornF' : 'draft.cfBornM', {
          date: day(Date.parse(`${info.birthDate}T12:00:00`)),
          place: place ?? info.placeCode,
        })}
        {info.omocodico ? ` · ${t('draft.cfOmocodico')}` : ''}
      </Text>
    </Group>
  );
}

function PlaceName({ code }: { code: string }) {
  const place = usePlace(code);
  return place ? (
    <Text size="xs" c="teal.8" mt={4}>
      {place}
    </Text>
  ) : null;
}

function usePlace(code: string): string | null {
  const [place, setPlace] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    lookupPlace(code).then(
      (name) => live && setPlace(name),
      () => live && setPlace(null),
    );
    return () => {
      live = false;
    };
  }, [code]);
  return place;
}
