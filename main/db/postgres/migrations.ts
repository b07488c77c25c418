import type { PgMigration } from './migrate.ts';
import { pgMigration001 } from './migrations/001_register.ts';
import { pgMigration002 } from './migrations/002_trail.ts';
import { pgMigration003 } from './migrations/003_log_at_scale.ts';
import { pgMigration004 } from './migrations/004_clients.ts';
import { pgMigration005 } from './migrations/005_tracked.ts';
import { pgMigration006 } from './migrations/006_office.ts';
import { pgMigration007 } from './migrations/007_event_origin.ts';
import { pgMigration008 } from './migrations/008_account_requests.ts';
import { pgMigration009 } from './migrations/009_purge_compaction.ts';
import { pgMigration010 } from './migrations/010_documents_in_register.ts';
import { pgMigration011 } from './migrations/011_pratica_numbers.ts';

/** Every migration of the office database, in order. A new one is a new numbered file, added here. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  pgMigration001,
  pgMigration002,
  pgMigration003,
  pgMigration004,
  pgMigration005,
  pgMigration006,
  pgMigration007,
  pgMigration008,
  pgMigration009,
  pgMigration010,
  pgMigration011,
];
