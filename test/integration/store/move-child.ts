/*
 * A move into the office in a process of its own, for move.test.ts to kill with SIGKILL in the
 * middle of it. Usage: node move-child.ts <sqlite file> <office config as JSON>
 * Prints "batch <table> <rows>" after each batch it wrote, "done" at the end.
 */
import { openDatabase } from '../../../main/db/database.ts';
import { openPool, type OfficeDbConfig } from '../../../main/db/postgres/connection.ts';
import { moveIntoOffice } from '../../../main/store/move.ts';

const [file, json] = process.argv.slice(2);
if (!file || !json) throw new Error('usage: move-child.ts <sqlite file> <office config>');
const db = openDatabase(file);
const pool = openPool(JSON.parse(json) as OfficeDbConfig, { onIdleError: () => {} });
await moveIntoOffice(db, pool, {
  batch: 7,
  onBatch: async (table, rows) => {
    process.stdout.write(`batch ${table} ${rows}\n`);
    // Slow enough for the parent to kill it in the middle of the move.
    await new Promise((resolve) => setTimeout(resolve, 5));
  },
});
process.stdout.write('done\n');
await pool.end();
db.close();
