import { resolve as resolvePath } from 'node:path';
import type { TeamStatus } from '../../shared/contract/team';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions, type CliCommand, type CliContext } from '../command';

function statusText(status: TeamStatus): string {
  if (!status.configured)
    return 'Team mode is not configured: run "opsconsole team connect --url postgres://USER@HOST:PORT/DB" (or --profile NAME).';
  const reach = status.reachable
    ? `reachable, schema version ${status.schemaVersion}`
    : `NOT reachable${status.reason ? ` (${status.reason})` : ''}: events wait in the outbox`;
  return `team database: ${reach}\noutbox: ${status.outbox} event(s) not yet shared\nlast shipped: ${status.lastShippedAt ?? 'never'}`;
}

/** The password for a --url team database: stdin or OPSCONSOLE_TEAM_PASSWORD, never a flag. */
async function teamPassword(context: CliContext): Promise<string | undefined> {
  if (context.values['password-stdin']) return (await context.readStdin()).replace(/\r?\n$/, '');
  return context.env.OPSCONSOLE_TEAM_PASSWORD || undefined;
}

const connect = defineCommand({
  path: ['team', 'connect'],
  summary: 'Connect to the team database (creates or migrates its schema) so incidents are shared live',
  usage:
    '(--profile NAME [--pg-database DB] --confirm PROFILE_NAME | --url postgres://USER@HOST:PORT/DB [--ssl-ca FILE] [--password-stdin]) [--display-name NAME] [--json]',
  help: [
    '--url defaults to sslmode=verify-full; name a weaker one in the URL (?sslmode=require) only when you mean it.',
    'The password comes from --password-stdin or OPSCONSOLE_TEAM_PASSWORD (never a flag) and is sealed by the vault.',
    'On a profile the schema is created through its SSH like any of its Postgres connections: a write, so --confirm takes the',
    'profile\'s name, and a read-only profile refuses. The README\'s "Team mode" section shows the role setup for the DBA.',
  ].join('\n'),
  options: {
    profile: { type: 'string', value: 'NAME', description: "reach the team database through this profile's Postgres" },
    'pg-database': { type: 'string', value: 'DB', description: "another database than the profile's" },
    url: { type: 'string', value: 'postgres://USER@HOST:PORT/DB', description: 'reach the team database directly' },
    'ssl-ca': { type: 'string', value: 'FILE', description: 'PEM of the CA of the server certificate (--url)' },
    'password-stdin': { type: 'boolean', description: 'read the password from stdin (--url)' },
    'display-name': { type: 'string', value: 'NAME', description: 'how the team sees you' },
    confirm: sharedOptions.confirm,
  },
  async run(context) {
    const { values } = context;
    if (values.profile && values['password-stdin'])
      throw new OpsError(
        'invalid_input',
        '--password-stdin goes with --url: a profile uses its own sealed Postgres password.',
      );
    const status = await context.core().invoke('team.connect', {
      url: values.url,
      profile: values.profile,
      pgDatabase: values['pg-database'],
      // Kept as an absolute path: later commands run from other folders.
      sslCa: typeof values['ssl-ca'] === 'string' ? resolvePath(values['ssl-ca']) : undefined,
      displayName: values['display-name'],
      confirm: values.confirm,
      password: values.url ? await teamPassword(context) : undefined,
    });
    return { value: status, text: statusText(status) };
  },
});

const status = defineCommand({
  path: ['team', 'status'],
  summary: 'Team database: configured, reachable, schema version, outbox, last shipment',
  usage: '[--json]',
  options: {},
  async run({ core }) {
    const result = await core().invoke('team.status', {});
    return { value: result, text: statusText(result) };
  },
});

const disconnect = defineCommand({
  path: ['team', 'disconnect'],
  summary: 'Forget the team database (local incidents and unshipped events stay)',
  usage: '[--json]',
  options: {},
  async run({ core }) {
    const result = await core().invoke('team.disconnect', {});
    return {
      value: result,
      text: result.disconnected ? 'Team database forgotten; incidents stay local.' : 'Team mode was not configured.',
    };
  },
});

const sync = defineCommand({
  path: ['team', 'sync'],
  summary: 'Ship the outbox to the team database and fetch what others shared',
  usage: '[--json]',
  options: {},
  async run({ core }) {
    const result = await core().invoke('team.sync', {});
    return {
      value: result,
      text: `shipped ${result.shipped}, fetched ${result.fetched}; outbox ${result.outbox}; last shipped ${result.lastShippedAt ?? 'never'}`,
    };
  },
});

const join = defineCommand({
  path: ['incident', 'join'],
  summary: 'Join a shared incident: fetch it from the team database and make it active',
  usage: 'ID [--json]',
  options: {},
  async run(context) {
    const id = context.positionals[0];
    if (!id)
      throw new OpsError(
        'invalid_input',
        'ID is missing: opsconsole incident join ID (the id from the opsconsole://incident/ID link or "incident list").',
      );
    const incident = await context.core().invoke('team.join', { id });
    return {
      value: incident,
      text: `joined ${incident.id}  ${incident.severity ?? '--'}  ${incident.status}  ${incident.title}  (${incident.eventCount} events; now active)`,
    };
  },
});

/** `opsconsole team …` and `opsconsole incident join`. */
export const teamCommands: CliCommand[] = [connect, status, disconnect, sync, join];
