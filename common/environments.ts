import { z } from 'zod';

import { environments } from './environment-list.ts';

export { environments };
export const environmentSchema = z.enum(environments);
export type Environment = z.infer<typeof environmentSchema>;

/** Base URLs of the real services; Prova's URL is the local simulator's, known at run time. */
export const REMOTE_BASE_URLS: Record<Exclude<Environment, 'prova'>, string> = {
  sandbox: 'https://test.visengine2.altravia.com',
  produzione: 'https://visengine2.altravia.com',
};
