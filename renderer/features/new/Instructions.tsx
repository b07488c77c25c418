import { Spoiler, Typography } from '@mantine/core';
import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { apostrophes } from '../../lib/help-text.ts';

// Links in the instructions open outside the app (main allows only known https hosts, in the
// system browser); every other URL scheme was already dropped by ALLOWED_URI_REGEXP.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * The service’s HTML instructions (decoded by main, untrusted): sanitised here; links kept
 * (only https, opened outside the app), images, scripts and styles dropped.
 */
export function Instructions({ html }: { html: string }) {
  const { t } = useTranslation();
  const clean = useMemo(
    () =>
      withoutDeadLinks(
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
          ALLOWED_ATTR: ['title', 'href'],
          ALLOWED_URI_REGEXP: /^https:\/\//i,
        }),
      ),
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

/**
 * A link whose address the sanitiser removed (not https, or javascript:) would stay as
 * link-coloured text that does nothing: it becomes plain text. Backquotes used as apostrophes
 * ("L`attestazione") become apostrophes, as in the fields' help.
 */
function withoutDeadLinks(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const link of template.content.querySelectorAll('a:not([href])')) link.replaceWith(...link.childNodes);
  const texts = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode())
    node.textContent = apostrophes(node.textContent ?? '');
  return template.innerHTML;
}
