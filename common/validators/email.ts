import { accept, refuse } from './result.ts';
import type { Check } from './result.ts';

const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
/** Characters that in practice mean a typo or two addresses pasted together, not a real mailbox. */
const FORBIDDEN_IN_LOCAL = /[\s,;:<>()[\]\\"@]/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;

/**
 * Pragmatic on purpose: RFC 5322 allows addresses nobody at a counter ever dictates, and the
 * mail server is the final judge. Catches missing @, missing dot, spaces and pasted lists.
 */
export function checkEmail(input: string): Check {
  const text = input.trim();
  if (text === '') return refuse('email.empty', 'Indirizzo email mancante');
  const bad = refuse('email.format', 'Indirizzo email non valido');
  if (text.length > MAX_LENGTH) return bad;
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return bad;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (local.length > MAX_LOCAL_LENGTH || FORBIDDEN_IN_LOCAL.test(local) || /\p{Cc}/u.test(local)) return bad;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return bad;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return bad;
  // No top-level domain has one letter: `mario@gmail.c` is a typo.
  if (labels.at(-1)!.length < 2) return bad;
  // Mailbox names may be case-sensitive; domains never are.
  return accept(`${local}@${domain}`);
}
