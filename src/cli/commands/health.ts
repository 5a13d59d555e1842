import type { HealthRunResult } from '../../shared/health';
import { OpsError } from '../../main/errors';
import { defineCommand, sharedOptions } from '../command';
import { profileOf } from './sql-run';

const marks = { ok: 'ok      ', warn: 'WARN    ', critical: 'CRITICAL', error: 'error   ' } as const;

function readable(run: HealthRunResult): string {
  const lines = [`Health of ${run.profileName} (${run.checks.length} checks in ${run.durationMs} ms)`];
  for (const check of run.checks) lines.push(`${marks[check.status]}  ${check.id.padEnd(24)} ${check.message}`);
  return lines.join('\n');
}

/** "pg.idle_in_transaction.minSeconds=60" → the params record. */
function parseParams(values: string[] | undefined): Record<string, number> | undefined {
  if (!values?.length) return undefined;
  const params: Record<string, number> = {};
  for (const value of values) {
    const [key, raw] = value.split('=');
    if (!key || raw === undefined || raw.trim() === '' || Number.isNaN(Number(raw)))
      throw new OpsError(
        'invalid_input',
        `--set ${value}: write it as CHECK.PARAM=NUMBER, e.g. --set pg.idle_in_transaction.minSeconds=60.`,
      );
    params[key] = Number(raw);
  }
  return params;
}

export const healthCommand = defineCommand({
  path: ['health'],
  summary: 'Run the guided health checks (Postgres and Redis) of a profile; exit 1 if any is critical or could not run',
  usage: '--profile NAME [--check ID]… [--timeout MS] [--set CHECK.PARAM=N]… [--json]',
  options: {
    profile: sharedOptions.profile,
    check: { type: 'string', multiple: true, value: 'ID', description: 'run only this check (repeat it)' },
    timeout: { type: 'string', value: 'MS', description: "each check's time limit (default 10000)" },
    set: {
      type: 'string',
      multiple: true,
      value: 'CHECK.PARAM=N',
      description: "a check's threshold, e.g. pg.idle_in_transaction.minSeconds=60 (repeat it)",
    },
  },
  help: [
    'Runs every check that applies to the profile (Postgres ones when it has Postgres, Redis ones when it has Redis), read-only and concurrently, each with its own time limit (--timeout, 10000 ms by default).',
    'Output (--json): {"checks": [{"id", "status": "ok"|"warn"|"critical"|"error", "value", "threshold", "message"}]}.',
    'Exit 1 if any check is critical or could not run ("error", with its reason: timed out, connection lost, …).',
    'Examples:',
    '  opsconsole health --profile prod-eu',
    '  opsconsole health --profile prod-eu --check pg.blocking_locks --check redis.queues --json',
    '  opsconsole health --profile prod-eu --set pg.idle_in_transaction.minSeconds=60',
  ].join('\n'),
  async run(context) {
    const profile = await profileOf(context);
    const timeout = context.values.timeout;
    if (timeout !== undefined && !/^\d+$/.test(timeout))
      throw new OpsError('invalid_input', `--timeout ${timeout}: give whole milliseconds, e.g. --timeout 5000.`);
    const ids = context.values.check;
    const run = await context.core().invoke('health.run', {
      profileId: profile.id,
      ...(ids?.length ? { ids } : {}),
      ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
      ...(parseParams(context.values.set) ? { params: parseParams(context.values.set) } : {}),
    });
    const checks = run.checks.map(({ id, status, value, threshold, message }) => ({
      id,
      status,
      value,
      threshold,
      message,
    }));
    // A check that could not run proves nothing: an on-call script must not read it as healthy.
    return {
      value: { checks },
      text: readable(run),
      exitCode: checks.some((c) => c.status === 'critical' || c.status === 'error') ? 1 : 0,
    };
  },
});
