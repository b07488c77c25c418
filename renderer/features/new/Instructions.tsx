import { Spoiler, Typography } from '@mantine/core';
import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The service's HTML instructions (decoded by main, untrusted): sanitised here, links made inert
 * (the app never navigates), images and styles dropped.
 */
export function Instructions({ html }: { html: string }) {
  const { t } = useTranslation();
  const clean = useMemo(
    () =>
      // Event-handler attributes are renamed before parsing: Chromium evaluates them against the
      // CSP even in an inert document (blocked, but reported). DOMPurify below is the real filter.
      DOMPurify.sanitize(html.replace(/(\s)on([a-z]+\s*=)/gi, '$1data-x-on$2'), {
        ALLOWED_TAGS: [
          'p',
          'br',
          'b',
          'strong',
          'i',
          'em',
          'u',
          'ul',
          'ol',
          'li',
          'h1',
          'h2',
          'h3',
          'h4',
          'span',
          'div',
          'a',
          'table',
          'tr',
          'td',
          'th',
          'tbody',
          'thead',
        ],
        ALLOWED_ATTR: ['title'],
      }),
    [html],
  );
  if (!clean.trim()) return null;
  return (
    <Spoiler maxHeight={120} showLabel={t('draft.instructionsMore')} hideLabel={t('draft.instructionsLess')}>
      <Typography>
        <div className="istruzioni" data-testid="istruzioni" dangerouslySetInnerHTML={{ __html: clean }} />
      </Typography>
    </Spoiler>
  );
}
