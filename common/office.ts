import { z } from 'zod';

/*
 * Impostazioni → Ufficio: the office's PostgreSQL register this counter joins (README, "Più
 * sportelli in un ufficio"). The password goes to main and never comes back: the page learns only
 * whether one is kept. The CA file is chosen in main's own file dialog, never named by the page.
 */

/**
 * A database's or a role's name: letters, digits and `_ . @ $ -`. Main's dialog names them to the
 * clerk: no spaces, quotes or line breaks that could make it read as another server.
 */
const name = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[\p{L}\p{N}_.@$-]+$/u, 'Nome non valido');

/** What the page sends to test or join: the password null keeps the one kept. */
export const officeFormSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:_-]+$/, 'Indirizzo del server non valido'),
    port: z.number().int().min(1).max(65535),
    database: name,
    user: name,
    password: z.string().min(1).max(1024).nullable(),
    tls: z.enum(['disable', 'verify-full']),
  })
  .strict();
export type OfficeForm = z.infer<typeof officeFormSchema>;
export type OfficeTls = OfficeForm['tls'];

/**
 * "Prepara il database" (the office's IT person, once, and after an update of Sportello that
 * changes the register): the server of the form, the counters' user (`user`) that will get its
 * privileges, and the owner role's name and password, which main uses for this step only and
 * never keeps.
 */
export const officePrepareSchema = officeFormSchema
  .omit({ password: true })
  .extend({
    owner: name,
    ownerPassword: z.string().min(1).max(1024),
  })
  .strict();
export type OfficePrepare = z.infer<typeof officePrepareSchema>;

/** What "Prepara il database" did: migrations applied now, and the register's version. */
export const officePreparedSchema = z.object({
  applied: z.number().int(),
  version: z.number().int(),
  counterUser: z.string(),
});
export type OfficePrepared = z.infer<typeof officePreparedSchema>;

/** Whether the register in use answers (only on the office's register). */
export const officeLinkSchema = z.object({
  state: z.enum(['connecting', 'ok', 'unreachable']),
  /** Italian, for the banner: what is wrong and what to check. */
  message: z.string().nullable(),
  /** This counter's local log is in the office's register (moved on joining). */
  moved: z.boolean(),
});
export type OfficeLinkState = z.infer<typeof officeLinkSchema>;

export const officeStatusSchema = z.object({
  /** The office this counter is set to join (effective after a restart), or null: its own log. */
  joined: z
    .object({
      host: z.string(),
      port: z.number(),
      database: z.string(),
      user: z.string(),
      tls: z.enum(['disable', 'verify-full']),
      /** The CA file main's dialog chose (verify-full). */
      caFile: z.string().nullable(),
      passwordSet: z.boolean(),
    })
    .nullable(),
  /** The CA file chosen for the next "Prova connessione" or join, not yet saved. */
  pendingCaFile: z.string().nullable(),
  /** The register this run of the app uses. */
  inUse: z.enum(['local', 'office']),
  /** The settings changed since the app started: they apply once Sportello is restarted. */
  restartNeeded: z.boolean(),
  /** The office register's link, while it is the one in use. */
  link: officeLinkSchema.nullable(),
});
export type OfficeStatus = z.infer<typeof officeStatusSchema>;

/** "Prova connessione" on the office's register. */
export const officeCheckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    serverVersion: z.string(),
    register: z.object({ version: z.number(), latest: z.number() }),
  }),
  z.object({ ok: z.literal(false), problem: z.string(), message: z.string() }),
]);
export type OfficeCheck = z.infer<typeof officeCheckSchema>;
