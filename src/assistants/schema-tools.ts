import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OpsError } from '../main/errors';
import { sqlRead } from './data-tools';
import { profileArg, sqlArg } from './inputs';
import type { AssistantSession } from './session';

/** sql_explain and schema_describe: how a query runs and what a table holds, both on the read path. */
export function registerSchemaTools(server: McpServer, session: AssistantSession): void {
  server.registerTool(
    'sql_explain',
    {
      description:
        'The plan of one SQL statement (EXPLAIN). analyze=true runs it (EXPLAIN ANALYZE, BUFFERS) and is allowed only for reads: the statement is classified with EXPLAIN around it, so a write is refused and nothing is sent.',
      inputSchema: { profile: profileArg, sql: sqlArg, analyze: z.boolean().default(false) },
    },
    async (args) =>
      session.call('sql_explain', args, args.profile, async (profile) => {
        // The text goes through sql_read's path whole: ANALYZE of a write is a write to the classifier.
        const reply = await sqlRead(
          session,
          profile!,
          `EXPLAIN ${args.analyze ? '(ANALYZE, BUFFERS) ' : ''}${args.sql}`,
        );
        const plan = ((reply.data.rows as unknown[][]) ?? []).map((r) => String(r[0])).join('\n');
        return { data: { profile: profile!.name, analyze: args.analyze, plan }, text: plan };
      }),
  );
  server.registerTool(
    'schema_describe',
    {
      description:
        'The columns (name, type), indexes (definition, unique, valid) and constraints (primary key, foreign keys, checks) of one table or view, from the profile\'s catalog. Give "schema.name" or just the name (public first).',
      inputSchema: {
        profile: profileArg,
        object: z
          .string()
          .min(1, 'is empty: give a table or view name')
          .max(200, 'is longer than 200 characters: give a table or view name'),
      },
    },
    async (args) =>
      session.call('schema_describe', args, args.profile, async (profile) => {
        const [schema, name] = args.object.includes('.') ? args.object.split('.', 2) : [undefined, args.object];
        const catalog = await session.core.invoke('sql.catalog', { profileId: profile!.id });
        const matches = catalog.tables
          .filter((t) => t.name === name && (schema === undefined || t.schema === schema))
          .sort((a, b) => Number(b.schema === 'public') - Number(a.schema === 'public'));
        const found = matches[0];
        if (!found)
          throw new OpsError(
            'not_found',
            `No table or view "${args.object}" in the catalog of "${profile!.name}": check the name (sql_read on information_schema.tables lists them).`,
          );
        const { indexes, constraints } = await session.core.invoke('sql.describe', {
          profileId: profile!.id,
          schema: found.schema,
          name: found.name,
        });
        const data = {
          profile: profile!.name,
          schema: found.schema,
          name: found.name,
          kind: found.kind,
          columns: found.columns,
          indexes,
          constraints,
        };
        const text = [
          `${found.kind} ${found.schema}.${found.name}`,
          ...found.columns.map((c) => `  ${c.name} ${c.type}`),
          ...(indexes.length
            ? [
                'indexes:',
                ...indexes.map((i) => `  ${i.definition}${i.valid ? '' : ' (INVALID: not used by the planner)'}`),
              ]
            : []),
          ...(constraints.length
            ? ['constraints:', ...constraints.map((c) => `  ${c.name} ${c.kind}: ${c.definition}`)]
            : []),
        ];
        return { data, text: text.join('\n') };
      }),
  );
}
