import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { profileToDocument, type ImportReport, type ProfileView } from '../../shared/profile';
import { describeChange } from '../../shared/profile-diff';
import { operations, type ConnectionTestStep, type HostKeyPrompt } from '../../shared/contract';
import { OpsError } from '../../main/errors';
import { parseJsonFile, readProfileDocument } from '../../main/profiles/profile-file';
import { defineCommand, type CliCommand, type CliContext } from '../command';
import { parseFlags } from '../flag-input';
import { profileByRef } from './profile-ref';
import {
  applyFlags,
  profileFlagHelp,
  profileFlagOptions,
  profileFlagUsage,
  secretChanges,
  validateDocument,
} from './profile-flags';

/** A profile by name (case-insensitive), or by id. */
async function resolve(context: CliContext): Promise<ProfileView> {
  const ref = context.positionals[0];
  if (!ref)
    throw new OpsError('invalid_input', "NAME is missing: give the profile's name (see opsconsole profiles list).");
  if (context.positionals.length > 1)
    throw new OpsError(
      'invalid_input',
      `Unexpected argument "${context.positionals[1]}": quote a NAME that contains spaces.`,
    );
  return profileByRef(context.core(), ref);
}

/**
 * Writes `--out FILE` beside, then renames it into place: a reader never sees half a file, and an
 * existing regular file is replaced (scripts rely on it). A folder or another non-file is refused
 * by name; a missing folder is created, as incident export does; the temporary file never stays.
 */
function writeReplacing(out: string, text: string): void {
  const cannot = (error: unknown) =>
    new OpsError(
      'invalid_input',
      `--out ${out} cannot be written: ${(error as Error).message}. Give the path of a file in a folder you can write to.`,
      { cause: error },
    );
  let existing;
  try {
    existing = statSync(out, { throwIfNoEntry: false });
    if (existing === undefined) mkdirSync(dirname(out), { recursive: true });
  } catch (error) {
    throw cannot(error);
  }
  if (existing && !existing.isFile())
    throw new OpsError(
      'invalid_input',
      existing.isDirectory()
        ? `--out ${out} is a folder: give the path of the file to write, e.g. --out ${join(out, 'profiles.json')}.`
        : `--out ${out} is not a regular file (a device, a pipe or a socket): give the path of a file to write.`,
    );
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, out);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannot(error);
  }
}

function readFileArg(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new OpsError('invalid_input', `Cannot read ${what} ${path}: ${(error as Error).message}. Check the path.`);
  }
}

const yesNo = (value: boolean | undefined) => (value ? 'set' : 'not set');

function describe(profile: ProfileView): string {
  const lines = [
    `${profile.name}  (${profile.environment}, safety ${profile.safety}, colour ${profile.color})`,
    `  id: ${profile.id}`,
  ];
  if (profile.tags.length) lines.push(`  tags: ${profile.tags.join(', ')}`);
  if (profile.ssh) {
    const ssh = profile.ssh;
    const via = ssh.jumps.map((j) => `${j.user}@${j.host}:${j.port} (${j.auth})`).join(' → ');
    lines.push(
      `  ssh: ${ssh.user}@${ssh.host}:${ssh.port} (${ssh.auth}${ssh.keyPath ? ' ' + ssh.keyPath : ''})${via ? ' via ' + via : ''}, keepalive ${ssh.keepaliveIntervalMs} ms`,
    );
    lines.push(
      `       password ${yesNo(profile.secrets.sshPassword)}, passphrase ${yesNo(profile.secrets.sshPassphrase)}`,
    );
  }
  if (profile.postgres) {
    const pg = profile.postgres;
    lines.push(
      `  postgres: ${pg.user}@${pg.host}:${pg.port}/${pg.database} sslmode ${pg.sslmode}${pg.sslCa ? ` (CA ${pg.sslCa})` : ''}, timeout ${pg.statementTimeoutMs} ms, row cap ${pg.rowCap}, ${pg.readOnlyByDefault ? 'read-only' : 'read-write'} by default, password ${yesNo(profile.secrets.pgPassword)}${pg.readUser ? `; reads as ${pg.readUser} (password ${yesNo(profile.secrets.pgReadPassword)})` : ''}${pg.legacyPasswordAuth ? ', LEGACY cleartext/MD5 password auth allowed' : ''}`,
    );
  }
  if (profile.redis) {
    const r = profile.redis;
    lines.push(
      `  redis: ${r.username ? r.username + '@' : ''}${r.host}:${r.port} db ${r.db}${r.tls ? ` TLS${r.tlsVerify ? '' : ' (unverified)'}` : ''}, password ${yesNo(profile.secrets.redisPassword)}`,
    );
  }
  if (profile.notes) lines.push(`  notes: ${profile.notes.replace(/\n/g, '\n         ')}`);
  return lines.join('\n');
}

function table(profiles: ProfileView[]): string {
  if (!profiles.length) return 'No profiles yet: add one with opsconsole profiles add --name … --environment …';
  const rows = profiles.map((p) => [
    p.name,
    p.environment,
    p.safety,
    p.ssh
      ? `${p.ssh.user}@${p.ssh.host}:${p.ssh.port}${p.ssh.jumps.length ? ` (+${p.ssh.jumps.length} jump)` : ''}`
      : '-',
    p.postgres ? `${p.postgres.host}:${p.postgres.port}/${p.postgres.database}` : '-',
    p.redis ? `${p.redis.host}:${p.redis.port}/${p.redis.db}` : '-',
  ]);
  const all = [['NAME', 'ENVIRONMENT', 'SAFETY', 'SSH', 'POSTGRES', 'REDIS'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function summarize(report: ImportReport): string {
  const lines = [
    ...report.created.map((p) => `created   ${p.name}`),
    ...report.replaced.flatMap((p) => [
      `replaced  ${p.name}${p.changes.length ? '' : ' (no field changes)'}`,
      ...p.changes.map((c) => `            ${describeChange(c)}`),
      ...(p.secretsDropped.length
        ? [
            `            stored secrets dropped (the route changed, you will be asked again): ${p.secretsDropped.join(', ')}`,
          ]
        : []),
    ]),
    ...report.renamed.map((p) => `renamed   ${p.from} → ${p.to}`),
    ...report.skipped.map((p) => `skipped   ${p.name}: ${p.reason}`),
    ...(report.dropped ?? []).map(
      (p) =>
        `WARNING   ${p.name}: imported without ${p.settings.join(', ')} (it connects directly): check it before use`,
    ),
    ...(report.permissive ?? []).flatMap((p) => [
      `WARNING   ${p.name} (new, ${p.environment}) comes with settings less safe than the defaults:`,
      ...p.changes.map((c) => `            ${describeChange(c)}`),
    ]),
  ];
  lines.push(
    `${report.dryRun ? 'Dry run, nothing written: would create' : 'Created'} ${report.created.length + report.renamed.length}, replace ${report.replaced.length}, skip ${report.skipped.length}.`,
  );
  if (report.downgrades.length && report.downgradesAllowed)
    lines.push(
      `Safety downgrades ${report.dryRun ? 'would be' : 'were'} accepted (--allow-downgrade${report.dryRun ? '' : ', recorded in the log'}).`,
    );
  else if (report.downgrades.length)
    lines.push(
      `The import would be REFUSED: it lowers the safety of existing profiles or brings production profiles with less safe settings (marked DOWNGRADE). If that is intended, add --allow-downgrade.`,
    );
  return lines.join('\n');
}

async function saveFromFlags(context: CliContext, existing?: ProfileView): Promise<ProfileView> {
  if (context.positionals.length > (existing ? 1 : 0))
    throw new OpsError(
      'invalid_input',
      `Unexpected argument "${context.positionals.at(-1)}": every field is a flag (--name, --ssh-host, …).`,
    );
  const file = context.values.file;
  const base =
    typeof file === 'string'
      ? readProfileDocument(readFileArg(file, 'the profile file'), file)
      : existing
        ? profileToDocument(existing)
        : {};
  const document = validateDocument(applyFlags(base as Record<string, unknown>, context.values));
  const secrets = await secretChanges(context, document);
  return context.core().invoke('profiles.save', {
    ...(existing ? { id: existing.id, expectedUpdatedAt: existing.updatedAt } : {}),
    profile: { ...document, secrets },
    ...(context.values['allow-downgrade'] === true ? { allowDowngrade: true } : {}),
  });
}

/** The choices of `profiles import`, as the import operations' schema takes them. */
const importChoices = operations['profiles.importSshConfig'].input.pick({ onConflict: true, environment: true });

export const profilesCommands: CliCommand[] = [
  defineCommand({
    path: ['profiles', 'list'],
    readOnly: true,
    summary: 'List connection profiles (no secrets)',
    usage: '[--json]',
    options: {},
    async run(context) {
      const profiles = await context.core().invoke('profiles.list', {});
      return { value: profiles, text: table(profiles) };
    },
  }),
  defineCommand({
    path: ['profiles', 'show'],
    readOnly: true,
    summary: 'Show one profile (secrets only as set / not set)',
    usage: 'NAME [--json]',
    options: {},
    async run(context) {
      const profile = await resolve(context);
      return { value: profile, text: describe(profile) };
    },
  }),
  defineCommand({
    path: ['profiles', 'add'],
    summary: 'Add a profile from flags or --file (secrets only via --…-stdin or OPSCONSOLE_… variables)',
    usage: `${profileFlagUsage} [--allow-downgrade]`,
    help: `A new production profile with settings less safe than the defaults (assistants allowed, sample rehearsals, fewer masked columns, legacy algorithms or password auth) is refused and lists each; add --allow-downgrade if it is intended (recorded in the log), as for an import.\n\n${profileFlagHelp}`,
    options: {
      ...profileFlagOptions,
      'allow-downgrade': {
        type: 'boolean',
        description: 'accept a new production profile less safe than the defaults',
      },
    },
    async run(context) {
      const profile = await saveFromFlags(context);
      return { value: profile, text: `Added profile ${profile.name} (${profile.id}).\n${describe(profile)}` };
    },
  }),
  defineCommand({
    path: ['profiles', 'edit'],
    summary:
      'Change a profile: only the given flags change (--file replaces the fields; secrets are kept while their route is unchanged)',
    usage: `NAME ${profileFlagUsage} [--allow-downgrade]`,
    help: `An edit that lowers the profile's safety (environment, safety level, read-only default, TLS, masks, assistants, legacy algorithms or password auth) is refused and lists each downgrade; add --allow-downgrade if it is intended (recorded in the log).\n\n${profileFlagHelp}`,
    options: {
      ...profileFlagOptions,
      'allow-downgrade': { type: 'boolean', description: "accept an edit that lowers the profile's safety" },
    },
    async run(context) {
      const existing = await resolve(context);
      const profile = await saveFromFlags(context, existing);
      const dropped = Object.entries(existing.secrets)
        .filter(([name, was]) => was && profile.secrets[name as keyof ProfileView['secrets']] === false)
        .map(([name]) => name);
      const note = dropped.length
        ? `\nStored secrets no longer sent (the route changed or they were cleared): ${dropped.join(', ')}. Give them again if the new route is right.`
        : '';
      return { value: profile, text: `Saved profile ${profile.name}.${note}\n${describe(profile)}` };
    },
  }),
  defineCommand({
    path: ['profiles', 'remove'],
    summary: 'Remove a profile and its stored secrets',
    usage: 'NAME [--json]',
    options: {},
    async run(context) {
      const profile = await resolve(context);
      await context.core().invoke('profiles.remove', { id: profile.id });
      return { value: { removed: true, id: profile.id, name: profile.name }, text: `Removed profile ${profile.name}.` };
    },
  }),
  defineCommand({
    path: ['profiles', 'export'],
    readOnly: true,
    summary: 'Export every profile as versioned JSON without secrets (stdout, or --out FILE)',
    usage: '[--out FILE] [--json]',
    options: {
      out: {
        type: 'string',
        value: 'FILE',
        description: 'write to FILE instead of stdout (an existing file is replaced; a missing folder is created)',
      },
    },
    async run(context) {
      const document = await context.core().invoke('profiles.export', {});
      const out = context.values.out;
      if (typeof out !== 'string') return { value: document, text: JSON.stringify(document, null, 2) };
      writeReplacing(out, JSON.stringify(document, null, 2) + '\n');
      return {
        value: { exported: document.profiles.length, file: out },
        text: `Exported ${document.profiles.length} profile(s) to ${out} (no secrets).`,
      };
    },
  }),
  defineCommand({
    path: ['profiles', 'import'],
    summary: 'Import a profiles export (FILE, or - for stdin), or hosts of an ssh config (--ssh-config [PATH])',
    usage:
      'FILE|--ssh-config [PATH] [--on-conflict skip|rename|replace] [--host ALIAS …] [--environment KIND] [--dry-run] [--allow-downgrade] [--json]',
    help: 'A replaced profile is listed field by field. A replacement that lowers safety (environment, safety level, read-only default, TLS, legacy password auth) is refused unless --allow-downgrade (recorded in the log). Stored secrets of a replaced profile are kept only when their whole route (every SSH hop, the server, TLS no weaker) is unchanged.',
    options: {
      'ssh-config': { type: 'boolean', description: 'import the Hosts of an ssh config (PATH, default ~/.ssh/config)' },
      'on-conflict': {
        type: 'string',
        value: 'skip|rename|replace',
        description: 'what to do with a profile whose name exists',
      },
      host: {
        type: 'string',
        multiple: true,
        value: 'ALIAS',
        description: 'only this Host of the ssh config (repeat it)',
      },
      environment: { type: 'string', value: 'KIND', description: 'the environment of the profiles made from Hosts' },
      'dry-run': { type: 'boolean', description: 'report what would change; change nothing' },
      'allow-downgrade': { type: 'boolean', description: 'accept a replacement that lowers safety' },
    },
    async run(context) {
      // Checked by the operation's own schema first, each refusal naming its flag.
      const choices = parseFlags(importChoices, {
        onConflict: ['--on-conflict', context.values['on-conflict']],
        environment: ['--environment', context.values.environment],
      });
      const dryRun = context.values['dry-run'] === true;
      const allowDowngrade = context.values['allow-downgrade'] === true;
      const [path, extra] = context.positionals;
      if (extra !== undefined)
        throw new OpsError('invalid_input', `Unexpected argument "${extra}": import one file at a time.`);
      let report: ImportReport;
      if (context.values['ssh-config']) {
        report = await context.core().invoke('profiles.importSshConfig', {
          path,
          hosts: context.values.host,
          ...choices,
          dryRun,
          allowDowngrade,
        });
      } else {
        if (!path)
          throw new OpsError(
            'invalid_input',
            'FILE is missing: give a profiles export to import (or - for stdin, or --ssh-config).',
          );
        const bytes =
          path === '-' ? Buffer.from(await context.readStdin(), 'utf8') : readFileArg(path, 'the import file');
        parseJsonFile(bytes, path === '-' ? 'Standard input' : path); // size, binary and JSON checks on the raw bytes
        const { onConflict } = choices;
        report = await context
          .core()
          .invoke('profiles.import', { text: bytes.toString('utf8'), onConflict, dryRun, allowDowngrade });
      }
      const refused = report.dryRun && report.downgrades.length > 0 && !report.downgradesAllowed;
      return { value: report, text: summarize(report), exitCode: refused ? 1 : 0 };
    },
  }),
  defineCommand({
    path: ['profiles', 'test'],
    summary: 'Test a profile: SSH connect → host key → auth per hop, then Postgres and Redis',
    usage: 'NAME [--trust-host-key SHA256:…] [--json]',
    options: {},
    async run(context) {
      const profile = await resolve(context);
      const trusted = new Set(context.values['trust-host-key'] ?? []);
      const core = context.core();
      const unsubscribe = core.subscribe((name, payload) => {
        if (name === 'onConnectionTestStep') {
          const step = payload as ConnectionTestStep;
          if (step.status !== 'running')
            context.log(
              `${step.status.padEnd(7)} ${step.stage}${step.hop ? ` (hop ${step.hop})` : ''} ${step.target}${step.detail ? `: ${step.detail}` : ''}`,
            );
        } else if (name === 'onHostKeyPrompt') {
          const prompt = payload as HostKeyPrompt;
          const trust = trusted.has(prompt.fingerprint);
          if (!trust)
            context.log(
              `Unknown host key for ${prompt.host}:${prompt.port} (${prompt.keyType} ${prompt.fingerprint}). If it is right, run again with --trust-host-key ${prompt.fingerprint}`,
            );
          void core.invoke('sessions.answerHostKey', { promptId: prompt.promptId, trust });
        }
      });
      try {
        const result = await core.invoke('profiles.testConnection', { id: profile.id });
        const failed = result.steps.find((s) => s.status === 'failed');
        const text = result.ok
          ? `All ${result.steps.length} checks of ${profile.name} passed.`
          : `${profile.name}: ${failed ? `${failed.stage} failed: ${failed.detail}` : 'nothing to test (no SSH, Postgres or Redis settings)'}`;
        return { value: result, text, exitCode: result.ok ? 0 : 1 };
      } finally {
        unsubscribe();
      }
    },
  }),
];
