import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OpsError } from '../main/errors';
import type { ProfileView } from '../shared/profile';
import { argvArg, profileArg, sqlArg } from './inputs';
import { maskPatterns, maskTable, textTable, type ToolReply } from './reply';
import type { AssistantSession } from './session';

/** What each profile allows, as an assistant needs to know it; never a secret or a host. */
function describe(profile: ProfileView, defaultMaskPatterns: readonly string[]) {
  return {
    name: profile.name,
    environment: profile.environment,
    safety: profile.safety,
    postgres: !!profile.postgres,
    redis: !!profile.redis,
    maskPatterns: profile.maskPatterns ?? [...defaultMaskPatterns],
  };
}

/** One statement per call: counted by the parser alone (no server round trip), before anything runs. */
async function assertOneStatement(session: AssistantSession, sql: string): Promise<void> {
  const { statements } = await session.core.invoke('sql.classify', { sql });
  if (statements.length !== 1)
    throw new OpsError(
      'invalid_input',
      `sql has ${statements.length} statements: send exactly one statement per call.`,
    );
}

export async function sqlRead(session: AssistantSession, profile: ProfileView, sql: string): Promise<ToolReply> {
  const { limits } = session.options;
  const rowsLeft = session.budget.rowsLeft(profile.name);
  await assertOneStatement(session, sql);
  // readsOnly: the core classifies with the profile's catalog and refuses anything but a read, unsent.
  const result = await session.core.invoke('sql.run', {
    profileId: profile.id,
    sql,
    readsOnly: true,
    ...(session.options.incidentId ? { incidentId: session.options.incidentId } : {}),
  });
  if (result.outcome !== 'read')
    throw new OpsError(
      'refused',
      `Refused: ${result.message ?? `${result.outcome}, nothing was changed.`} sql_read runs reads only: call propose_change for a person to review and run a change.`,
    );
  const statement = result.statements[0]!;
  const cap = Math.min(limits.rowCap, rowsLeft);
  const columns = statement.fields.map((f) => f.name);
  const table = await maskTable(columns, statement.rows.slice(0, cap), profile.maskPatterns, limits.cellCap);
  const notes = [
    statement.rows.length > cap || statement.truncated
      ? `Rows cut at ${table.rows.length} (row cap ${cap}${cap < limits.rowCap ? ", the rest of this minute's row budget" : ''}): add a LIMIT, aggregate, or page with WHERE/ORDER BY.`
      : '',
    table.cutCells ? `${table.cutCells} cell(s) cut at ${limits.cellCap} characters.` : '',
    table.maskedColumns.length
      ? `Masked columns (the profile's masking patterns): ${table.maskedColumns.join(', ')}.`
      : '',
  ].filter(Boolean);
  const data = {
    profile: profile.name,
    risk: result.risk,
    columns,
    types: statement.fields.map((f) => f.type),
    rows: table.rows,
    rowCount: table.rows.length,
    truncated: table.rows.length < statement.rowCount || statement.truncated,
    maskedColumns: table.maskedColumns,
    durationMs: result.durationMs,
    ...(result.role ? { role: result.role } : {}),
    notes,
  };
  return {
    data,
    rows: table.rows.length,
    text: [
      `${table.rows.length} row(s) · ${result.durationMs} ms${notes.length ? ` · ${notes.join(' ')}` : ''}`,
      textTable(columns, table.rows),
    ].join('\n'),
  };
}

async function redisRead(session: AssistantSession, profile: ProfileView, argv: string[]): Promise<ToolReply> {
  const classification = await session.core.invoke('redis.classify', { argv, profileId: profile.id });
  if (classification.risk !== 'read' && classification.risk !== 'admin') {
    throw new OpsError(
      'refused',
      `Refused: ${argv[0]} is ${classification.risk} (${classification.reasons.join(', ')}), and redis_read runs read commands only. Nothing was sent. To change data, call propose_change.`,
    );
  }
  // Without `confirm`, the gate runs only what reads: anything else comes back unconfirmed, unsent.
  const result = await session.core.invoke('redis.run', {
    profileId: profile.id,
    argv,
    ...(session.options.incidentId ? { incidentId: session.options.incidentId } : {}),
  });
  if (result.outcome === 'confirmation_required' || result.outcome === 'refused') {
    throw new OpsError(
      'refused',
      `Refused: ${result.message ?? `${argv[0]} needs a person's confirmation`}. Nothing was sent. Call propose_change for a person to run it.`,
    );
  }
  const data = {
    profile: profile.name,
    argv: result.argv,
    risk: result.risk,
    outcome: result.outcome,
    reply: result.reply ?? null,
    durationMs: result.durationMs,
    ...(result.suggestion ? { suggestion: result.suggestion } : {}),
    ...(result.message ? { message: result.message } : {}),
  };
  return { data, text: `${result.argv.join(' ')} → ${result.outcome}\n${JSON.stringify(result.reply ?? null)}` };
}

/** profiles_list, sql_classify, sql_read, redis_read, health_run. */
export function registerDataTools(server: McpServer, session: AssistantSession): void {
  server.registerTool(
    'profiles_list',
    {
      description:
        'The environments you may investigate: name, environment (production, staging …), safety level, whether it has Postgres and Redis, and the column patterns masked in replies. Call this first.',
      inputSchema: {},
    },
    async () =>
      session.call('profiles_list', {}, undefined, async () => {
        const { defaultMaskPatterns } = await maskPatterns();
        const profiles = (await session.allowedProfiles()).map((p) => describe(p, defaultMaskPatterns));
        return {
          data: { profiles },
          text: profiles.length
            ? profiles
                .map(
                  (p) =>
                    `${p.name} (${p.environment}, ${p.safety})${p.postgres ? ' postgres' : ''}${p.redis ? ' redis' : ''}`,
                )
                .join('\n')
            : 'No profile allows assistants: ask the operator to allow one (opsconsole profiles edit NAME --allow-assistants true --allow-downgrade).',
        };
      }),
  );
  server.registerTool(
    'sql_classify',
    {
      description:
        "Classify one SQL text without running it: risk (read < admin < write < ddl < unknown < dangerous) and reasons per statement, using the profile's catalog for views and functions.",
      inputSchema: { profile: profileArg, sql: sqlArg },
    },
    async (args) =>
      session.call('sql_classify', args, args.profile, async (profile) => {
        const c = await session.core.invoke('sql.classify', { sql: args.sql, profileId: profile!.id });
        return {
          data: {
            risk: c.risk,
            statements: c.statements.map((s) => ({ text: s.text, risk: s.risk, reasons: s.reasons })),
          },
          text: `${c.risk}: ${c.statements.map((s) => `${s.risk}${s.reasons.length ? ` (${s.reasons.join(', ')})` : ''}`).join('; ')}`,
        };
      }),
  );
  server.registerTool(
    'sql_read',
    {
      description:
        "Run ONE read-only SQL statement on a profile's Postgres (inside BEGIN READ ONLY with the profile's statement timeout). Only what the classifier calls a read runs; anything else is refused and nothing is sent (use propose_change). At most 200 rows; long cells are cut; columns matching the profile's masking patterns come back as [masked].",
      inputSchema: { profile: profileArg, sql: sqlArg },
    },
    async (args) => session.call('sql_read', args, args.profile, (profile) => sqlRead(session, profile!, args.sql)),
  );
  server.registerTool(
    'redis_read',
    {
      description:
        'Run one read-only Redis command on a profile\'s Redis, as an argument array (e.g. ["HGETALL", "session:42"], ["INFO", "memory"]). Writes, scripts and server changes are refused and nothing is sent (use propose_change). Prefer SCAN to KEYS.',
      inputSchema: { profile: profileArg, argv: argvArg },
    },
    async (args) =>
      session.call('redis_read', args, args.profile, (profile) => redisRead(session, profile!, args.argv)),
  );
  server.registerTool(
    'health_run',
    {
      description:
        'Run the read-only health checks of a profile (Postgres: connections, blocking locks, long transactions, replication …; Redis: memory, clients, queues …). Each finding has its status, value and threshold.',
      inputSchema: {
        profile: profileArg,
        checks: z
          .array(z.string().min(1).max(100))
          .min(1)
          .max(50)
          .optional()
          .describe('only these check ids; all by default'),
      },
    },
    async (args) =>
      session.call('health_run', args, args.profile, async (profile) => {
        const run = await session.core.invoke('health.run', {
          profileId: profile!.id,
          ...(args.checks ? { ids: args.checks } : {}),
        });
        const checks = run.checks.map(({ id, status, value, threshold, message }) => ({
          id,
          status,
          value,
          threshold,
          message,
        }));
        return {
          data: { profile: run.profileName, durationMs: run.durationMs, checks },
          text: checks.map((c) => `${c.status.padEnd(8)} ${c.id}: ${c.message}`).join('\n'),
        };
      }),
  );
}
