import { z } from 'zod';

/** Where requests go. Prova is the built-in simulator: no key, no cost, watermarked outputs. */
export const environments = ['prova', 'sandbox', 'produzione'] as const;
export const environmentSchema = z.enum(environments);
export type Environment = z.infer<typeof environmentSchema>;

/** Base URLs of the real services; Prova's URL is the local simulator's, known at run time. */
export const REMOTE_BASE_URLS: Record<Exclude<Environment, 'prova'>, string> = {
  sandbox: 'https://test.visengine2.altravia.com',
  produzione: 'https://visengine2.altravia.com',
};
