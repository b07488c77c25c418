import type { PgMigration } from '../migrate.ts';

/**
 * The pratica's number for the client and the price the office asks the client: the same as the
 * SQLite log's migration 12 (read its comment). `pratica_numbers` is the register's counter per
 * prefix and year, shared by every counter of the office; the requests already sent are numbered
 * per year of creation (the server's time zone) without a prefix; the list's text index
 * requests_text is built again over the text with the number (db/postgres/search.ts REQUEST_TEXT,
 * character for character). Building it reads every row: some seconds per hundred thousand.
 */
export const pgMigration011: PgMigration = {
  version: 11,
  name: 'pratica numbers',
  up: `
    ALTER TABLE requests ADD COLUMN number text COLLATE "C";
    ALTER TABLE requests ADD COLUMN client_price double precision;
    CREATE TABLE pratica_numbers (
      prefix text COLLATE "C" NOT NULL,
      year   integer NOT NULL,
      last   integer NOT NULL,
      PRIMARY KEY (prefix, year)
    );

    UPDATE requests SET number = n.year || '-' || lpad(n.seq::text, greatest(6, length(n.seq::text)), '0')
      FROM (SELECT id, year, row_number() OVER (PARTITION BY year ORDER BY created_at, id) AS seq
              FROM (SELECT id, created_at, extract(year FROM to_timestamp(created_at / 1000.0))::integer AS year
                      FROM requests WHERE status <> 'draft') AS sent) AS n
     WHERE n.id = requests.id;
    INSERT INTO pratica_numbers (prefix, year, last)
      SELECT '', year, count(*)
        FROM (SELECT extract(year FROM to_timestamp(created_at / 1000.0))::integer AS year
                FROM requests WHERE status <> 'draft') AS sent
       GROUP BY year;

    DROP INDEX requests_text;
    CREATE INDEX requests_text ON requests USING gin (request_text_tokens(
      lower(coalesce(client_cognome, '') || ' ' || coalesce(client_nome, '') || ' ' || coalesce(client_cf, '')
        || ' ' || service_name || ' ' || coalesce(remote_id, '') || ' ' || coalesce(number, '')),
      created_at));
  `,
};
