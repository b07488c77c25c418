/**
 * Where requests go. Prova is the built-in simulator: no key, no cost, watermarked outputs. The
 * list alone, without its schema (environments.ts), for screens that only name them.
 */
export const environments = ['prova', 'sandbox', 'produzione'] as const;
