import type pg from 'pg';
import { OpsError } from '../errors';

/** The schema the console keeps in the team database (created by the DBA for the team role; see README). */
export const teamSchema = 'opsconsole_team';
/** LISTEN/NOTIFY channel: payload {"incidentId","eventId"}; the event itself is read from the table. */
export const teamChannel = 'opsconsole_team';

/**
 * Versioned migrations of the team schema, applied in order, each in the same transaction as the
 * version bump. Never edit a released one: add the next.
 */
const migrations: string[] = [
  `CREATE TABLE ${teamSchema}.incidents (
     id          text PRIMARY KEY,
     kind        text NOT NULL,
     title       text NOT NULL,
     severity    text,
     status      text NOT NULL,
     commander   text,
     created_at  text NOT NULL,
     created_by  jsonb NOT NULL,
     head_seq    bigint NOT NULL DEFAULT 0,
     head_hash   text NOT NULL
   );
   CREATE TABLE ${teamSchema}.events (
     incident_id      text NOT NULL REFERENCES ${teamSchema}.incidents(id),
     shared_seq       bigint NOT NULL,
     event_id         text NOT NULL UNIQUE,
     responder        text NOT NULL,
     origin_seq       integer NOT NULL,
     at               text NOT NULL,
     operator         text NOT NULL,
     author           jsonb NOT NULL,
     kind             text NOT NULL,
     payload          text NOT NULL,
     prev_hash        text NOT NULL,
     hash             text NOT NULL,
     shared_prev_hash text NOT NULL,
     shared_hash      text NOT NULL,
     received_at      timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (incident_id, shared_seq)
   );
   CREATE TABLE ${teamSchema}.presence (
     incident_id  text NOT NULL,
     responder    text NOT NULL,
     display_name text NOT NULL,
     os_user      text NOT NULL,
     seen_at      timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (incident_id, responder)
   );`,
];

export const teamSchemaVersion = migrations.length;

/** The schema version in the team database; 0 when the console never created its tables there. */
export async function readSchemaVersion(client: pg.Client): Promise<number> {
  const table = await client.query<{ found: string | null }>(
    `SELECT to_regclass('${teamSchema}.schema_version')::text AS found`,
  );
  if (!table.rows[0]?.found) return 0;
  const row = await client.query<{ version: string }>(`SELECT version FROM ${teamSchema}.schema_version`);
  return Number(row.rows[0]?.version ?? 0);
}

/** Refuses a team schema newer than this console knows (a colleague's newer version migrated it). */
export function assertKnownVersion(version: number): void {
  if (version > teamSchemaVersion) {
    throw new OpsError(
      'conflict',
      `The team database's schema is version ${version}, newer than this console knows (${teamSchemaVersion}): update Ops Console before joining the team database.`,
    );
  }
}

/**
 * Creates or migrates the team schema, under an advisory lock so two responders connecting at
 * once do not race. The schema itself must exist (the DBA creates it for the team role).
 */
export async function migrateTeamSchema(client: pg.Client): Promise<{ from: number; to: number }> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('opsconsole_team.migrate'))");
    const schema = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [teamSchema]);
    if (!schema.rowCount)
      throw new OpsError(
        'refused',
        `The team database has no schema ${teamSchema}: ask its DBA to run the role setup in the README (CREATE SCHEMA ${teamSchema} AUTHORIZATION <team role>).`,
      );
    const from = await readSchemaVersion(client);
    assertKnownVersion(from);
    if (from === 0)
      await client.query(
        `CREATE TABLE ${teamSchema}.schema_version (version integer NOT NULL); INSERT INTO ${teamSchema}.schema_version VALUES (0)`,
      );
    for (let version = from + 1; version <= teamSchemaVersion; version++) {
      await client.query(migrations[version - 1]!);
      await client.query(`UPDATE ${teamSchema}.schema_version SET version = $1`, [version]);
    }
    await client.query('COMMIT');
    return { from, to: teamSchemaVersion };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
