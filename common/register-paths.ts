import { z } from 'zod';

/*
 * Paths the register records are names inside a root this counter owns (its archive, its scans,
 * its clients' documents), never orders: a row that points elsewhere is refused where it is used
 * and shown on Home, under «Da controllare», as one of these.
 */

/** The register's tables that name files. */
export const registerPathTables = ['documents', 'attachments', 'client_files', 'requests'] as const;
export type RegisterPathTable = (typeof registerPathTables)[number];

/**
 * Why a recorded name was refused: an absolute path, a drive letter, a network path (UNC), a `..`
 * (or any segment of dots, empty), a NUL, a colon (a Windows stream or drive-relative path), a
 * Windows device name, a name whose real target (symbolic links followed) lies outside the root,
 * or one outside its row's own folder (a draft's scan naming another draft's).
 */
export const pathRefusalReasons = [
  'absolute',
  'drive',
  'unc',
  'parent',
  'nul',
  'colon',
  'device',
  'outside',
  'misplaced',
] as const;
export type PathRefusalReason = (typeof pathRefusalReasons)[number];

/** A row of the register whose path this counter refused to use (opened, checked or deleted nothing). */
export const refusedPathSchema = z.object({
  kind: z.literal('register_path_refused'),
  table: z.enum(registerPathTables),
  rowId: z.string(),
  /** The request the row belongs to, when there is one (a link on Home). */
  requestId: z.string().nullable(),
  reason: z.enum(pathRefusalReasons),
  /** When this counter last refused it (ms since the epoch). */
  at: z.number(),
});
export type RefusedPath = z.infer<typeof refusedPathSchema>;
