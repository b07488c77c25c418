import { Badge } from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { CLERK_STATE_COLORS, type ClerkState } from '../../common/request-states.ts';

/*
 * Where a request is, in the clerk's words (common/request-states.ts): the same word and colour on
 * Home, in Pratiche, on the request page and after sending. Sentence case: a badge is read, not
 * shouted. The service's own word for its phase is shown on the request page only.
 */

/** The clerk's word for a state (i18n `state.<state>`). */
export function stateLabel(t: (key: string) => string, state: ClerkState): string {
  return t(`state.${state}`);
}

/**
 * The same badge as a plain element, for lists that draw dozens at once (Pratiche): Mantine's light
 * Badge look from styles.css (`.status-pill`), without a component's props merging per row.
 */
export function StatusPill({ state, label }: { state: ClerkState; label: string }) {
  const color = CLERK_STATE_COLORS[state];
  const style = {
    '--pill-bg': `var(--mantine-color-${color}-light)`,
    '--pill-color': `var(--mantine-color-${color}-light-color)`,
  } as CSSProperties;
  return (
    <span className="status-pill" style={style} data-state={state}>
      {label}
    </span>
  );
}

export function StatusBadge({ request }: { request: { state: ClerkState } }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={CLERK_STATE_COLORS[request.state]}
      variant="light"
      radius="sm"
      tt="none"
      style={{ flexShrink: 0 }}
      data-state={request.state}
    >
      {stateLabel(t, request.state)}
    </Badge>
  );
}
