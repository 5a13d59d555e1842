import {
  profilesExportFormat,
  profilesExportVersion,
  profileToDocument,
  type ImportConflictStrategy,
  type ImportReport,
  type ProfileInputParsed,
  type ProfileView,
  type ProfilesExport,
  type SecretInput,
  type SecretName,
} from '../../shared/profile';
import type { ProfileSavePreview } from '../../shared/contract/profile-edit';
import { OpsError } from '../errors';
import type { ProfileRepository } from '../store/profile-repository';
import { readProfilesFile } from './profile-file';
import { secretsOffRoute } from './secret-route';
import { describeChange, diffProfiles, newProfileDowngrades, permissiveSettings } from '../../shared/profile-diff';
import { profilesFromSshConfig, type ProfileDocumentParsed, type SshConfigImportOptions } from './ssh-config-import';

export type ProfileRef = { id: string } | { name: string };

export interface SaveRequest {
  id?: string;
  profile: ProfileInputParsed;
  expectedUpdatedAt?: string;
  /**
   * Accept an edit that lowers the profile's safety, or a new production profile less safe than
   * the defaults (the operator saw what and confirmed).
   */
  allowDowngrade?: boolean;
}

export interface ImportOptions {
  /** What to do when a profile of the same name exists; absent: refuse the whole import. */
  onConflict?: ImportConflictStrategy;
  /** Report what would happen and change nothing. */
  dryRun?: boolean;
  /** Accept replacements that lower a profile's safety (environment, safety level, read-only default, TLS). */
  allowDowngrade?: boolean;
}

/** The changes of an edit that lower the profile's safety, as the save preview lists them. */
function downgradesOf(before: ProfileView, profile: ProfileInputParsed): string[] {
  return diffProfiles(before, profile)
    .filter((c) => c.downgrade)
    .map(describeChange);
}

/**
 * An edit must not quietly turn production into development, switch TLS off or let assistants
 * in, nor may a new production profile (a shared file given to `profiles add --file`) come less
 * safe than the defaults: like an import, they are refused unless the operator allowed it (the app
 * asks in its save preview; the CLI takes --allow-downgrade).
 */
function refusedDowngrade(name: string, downgrades: string[], created: boolean): OpsError {
  const what = created
    ? `the new production profile "${name}" comes with settings less safe than the defaults`
    : `this edit lowers the safety of "${name}"`;
  return new OpsError(
    'refused',
    `Nothing saved: ${what}:\n  ${downgrades.join('\n  ')}\nIf that is intended, save again with --allow-downgrade (the app asks in its save preview); it is recorded in the log.`,
  );
}

/** Rolls an import's transaction back on purpose (dry run). */
class DryRunRollback extends Error {}

/** Profiles beyond plain CRUD: lookup by name, export, import (JSON and ~/.ssh/config). */
export class ProfileService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly now: () => Date = () => new Date(),
    /** Closes the profile's SSH session and everything riding on it. */
    private readonly closeConnections: (profileId: string) => Promise<void> = async () => undefined,
    /** Where an allowed safety downgrade is recorded (the log). */
    private readonly audit: (message: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {}

  /**
   * Saves a profile. When an edit changes where or how it connects (a host, a hop, a secret),
   * its open connections are closed: the next use reaches what the profile now says, never
   * the old host the operator just edited away.
   */
  async save({ id, profile, expectedUpdatedAt, allowDowngrade }: SaveRequest): Promise<ProfileView> {
    let before: ProfileView | undefined;
    let downgrades: string[] = [];
    const saved = this.profiles.transaction(() => {
      before = id === undefined ? undefined : this.profiles.get(id);
      // Judged against what is stored now, in the same transaction as the write.
      downgrades = before ? downgradesOf(before, profile) : newProfileDowngrades(profile).map(describeChange);
      if (downgrades.length && !allowDowngrade)
        throw refusedDowngrade(before?.name ?? profile.name, downgrades, before === undefined);
      // A secret the edit does not set again is kept only while its route is unchanged.
      const secrets = before ? { ...clearing(secretsOffRoute(before, profile)), ...profile.secrets } : profile.secrets;
      return this.profiles.save({ ...profile, secrets }, id, expectedUpdatedAt);
    });
    if (downgrades.length)
      this.audit('profiles.save: safety downgrade allowed by the operator', { profile: saved.name, downgrades });
    const endpoints = (p: ProfileView) => JSON.stringify([p.ssh, p.postgres, p.redis]);
    if (before && (endpoints(before) !== endpoints(saved) || Object.keys(profile.secrets).length > 0))
      await this.closeConnections(saved.id);
    return saved;
  }

  /** What saving this edit would change (the import's diff), which stored secrets it drops, and its downgrades. */
  previewSave(id: string, profile: ProfileInputParsed): ProfileSavePreview {
    const before = this.profiles.get(id);
    const changes = diffProfiles(before, profile);
    // A secret typed again in this edit is the operator's, for the new route: it is not dropped.
    const secretsDropped = secretsOffRoute(before, profile).filter(
      (name) => before.secrets[name] && !profile.secrets[name],
    );
    return { changes, secretsDropped, downgrades: downgradesOf(before, profile) };
  }

  /** Removes a profile after closing its connections. */
  async remove(id: string): Promise<void> {
    this.profiles.get(id);
    await this.closeConnections(id);
    this.profiles.remove(id);
  }

  /** A profile by id, or by name (case-insensitive) as the CLI and the confirmations use it. */
  resolve(ref: ProfileRef): ProfileView {
    if ('id' in ref) return this.profiles.get(ref.id);
    const found = this.profiles.findByName(ref.name);
    if (!found)
      throw new OpsError(
        'not_found',
        `No profile named "${ref.name}": list them with \`opsconsole profiles list\` and check the spelling.`,
      );
    return found;
  }

  /** The versioned export of the given profiles (all by default): every field, no secret. */
  export(ids?: string[]): ProfilesExport {
    const views = ids ? ids.map((id) => this.profiles.get(id)) : this.profiles.list();
    return {
      format: profilesExportFormat,
      version: profilesExportVersion,
      exportedAt: this.now().toISOString(),
      profiles: views.map(profileToDocument),
    };
  }

  /** Imports a profiles export, all or nothing: on any error the store is unchanged. */
  async importFile(content: Uint8Array | string, options: ImportOptions = {}): Promise<ImportReport> {
    return this.closeReplaced(this.importDocuments(readProfilesFile(content).profiles, options));
  }

  /** Imports each Host of an ssh config as a profile with only its SSH part set. */
  async importSshConfig(source: SshConfigImportOptions, options: ImportOptions = {}): Promise<ImportReport> {
    const { documents, skipped, dropped } = await profilesFromSshConfig(source);
    const report = this.importDocuments(documents, { ...options, onConflict: options.onConflict ?? 'skip' });
    report.skipped.push(...skipped);
    report.dropped = dropped;
    return this.closeReplaced(report);
  }

  /** A replaced profile may now point elsewhere: its open connections go. */
  private async closeReplaced(report: ImportReport): Promise<ImportReport> {
    if (!report.dryRun) for (const { id } of report.replaced) await this.closeConnections(id);
    return report;
  }

  /** Applies documents in one write transaction, handling name clashes as asked. */
  importDocuments(documents: ProfileDocumentParsed[], options: ImportOptions): ImportReport {
    const report: ImportReport = {
      dryRun: options.dryRun ?? false,
      created: [],
      replaced: [],
      renamed: [],
      skipped: [],
      downgrades: [],
      downgradesAllowed: false,
    };
    try {
      this.profiles.transaction(() => {
        const taken = new Set(this.profiles.names().map((n) => n.toLowerCase()));
        const clashes = documents.filter((d) => taken.has(d.name.toLowerCase())).map((d) => d.name);
        if (clashes.length && !options.onConflict) {
          throw new OpsError(
            'conflict',
            `${clashes.length} profile(s) already exist: ${clashes.join(', ')}. Choose what to do with them: skip, rename or replace (--on-conflict in the CLI).`,
          );
        }
        for (const document of documents) this.importOne(document, options.onConflict ?? 'skip', taken, report);
        refuseDowngrades(report, options);
        if (options.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
      // Rolled back: no id a dry run saw exists.
      for (const entry of [...report.created, ...report.replaced, ...report.renamed]) entry.id = '';
    }
    if (report.downgradesAllowed && !report.dryRun)
      this.audit('profiles.import: safety downgrade allowed by the operator', { downgrades: report.downgrades });
    return report;
  }

  private importOne(
    document: ProfileDocumentParsed,
    onConflict: ImportConflictStrategy,
    taken: Set<string>,
    report: ImportReport,
  ): void {
    const existing = this.profiles.findByName(document.name);
    if (!existing) {
      const saved = this.profiles.save({ ...document, secrets: {} });
      taken.add(saved.name.toLowerCase());
      report.created.push({ id: saved.id, name: saved.name });
      flagPermissive(document, saved.name, report);
    } else if (onConflict === 'skip') {
      report.skipped.push({ name: document.name, reason: `a profile named "${existing.name}" already exists` });
    } else if (onConflict === 'rename') {
      const name = freeName(document.name, taken);
      const saved = this.profiles.save({ ...document, name, secrets: {} });
      taken.add(name.toLowerCase());
      report.renamed.push({ id: saved.id, from: document.name, to: name });
      flagPermissive(document, name, report);
    } else {
      const changes = diffProfiles(existing, document);
      const secretsDropped = secretsOffRoute(existing, document).filter((name) => existing.secrets[name]);
      const saved = this.profiles.save({ ...document, secrets: clearing(secretsDropped) }, existing.id);
      report.replaced.push({ id: saved.id, name: saved.name, changes, secretsDropped });
      report.downgrades.push(...changes.filter((c) => c.downgrade).map((c) => `${saved.name}: ${describeChange(c)}`));
    }
  }
}

/** "name (2)", "name (3)", … the first free one, kept within the 80-character limit. */
export function freeName(name: string, taken: Set<string>): string {
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = name.slice(0, 80 - suffix.length) + suffix;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * A new profile is no downgrade of anything, yet a shared file can bring one that lets assistants
 * read, copies rows into rehearsals or masks nothing: the report says so, and on a production
 * profile the import follows the replace rule (refused without --allow-downgrade).
 */
function flagPermissive(document: ProfileDocumentParsed, name: string, report: ImportReport): void {
  const changes = permissiveSettings(document);
  if (!changes.length) return;
  (report.permissive ??= []).push({ name, environment: document.environment, changes });
  if (document.environment === 'production')
    report.downgrades.push(...changes.map((c) => `${name} (new, production): ${describeChange(c)}`));
}

/** The changes that remove these stored secrets. */
function clearing(names: SecretName[]): Partial<Record<SecretName, SecretInput>> {
  return Object.fromEntries(names.map((name) => [name, { clear: true }]));
}

/**
 * A shared file must not quietly turn production into development or switch TLS off: an import
 * with a downgrade is refused as a whole unless the operator allowed it (a dry run only reports).
 */
function refuseDowngrades(report: ImportReport, options: ImportOptions): void {
  if (!report.downgrades.length) return;
  if (options.allowDowngrade) {
    report.downgradesAllowed = true;
    return;
  }
  if (options.dryRun) return;
  throw new OpsError(
    'refused',
    `Nothing imported: the file lowers the safety of ${report.replaced.some((p) => p.changes.some((c) => c.downgrade)) ? 'existing profiles' : 'profiles (new production ones with less safe settings than the defaults)'}:\n  ${report.downgrades.join('\n  ')}\nCheck with the sender; if the change is intended, import again with --allow-downgrade (the app asks), and it is recorded in the log.`,
  );
}
