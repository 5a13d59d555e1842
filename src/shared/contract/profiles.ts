import { z } from 'zod';
import { event, operation } from './define';
import type { ErrorCode } from '../errors';
import type { PgTlsState } from '../pg-tls';
import {
  environmentKinds,
  importConflictStrategies,
  profileInputSchema,
  profileNameSchema,
  type ImportReport,
  type ProfileView,
  type ProfilesExport,
} from '../profile';

const profileId = z.string().min(1, 'is empty: name a profile by its id').max(64);

/** The stages "Test connection" reports, in order; SSH stages repeat for each ProxyJump hop. */
export const connectionTestStages = ['ssh.connect', 'ssh.hostKey', 'ssh.auth', 'postgres', 'redis'] as const;
export type ConnectionTestStage = (typeof connectionTestStages)[number];

/** One step of a connection test, sent as it starts (running) and again as it ends. */
export interface ConnectionTestStep {
  testId: string;
  profileId: string;
  stage: ConnectionTestStage;
  /** For SSH stages: the hop, 1-based; the target host is the last hop. */
  hop?: number;
  /** What this step talks to: user@host:port, or user@host:port/database. */
  target: string;
  status: 'running' | 'ok' | 'failed' | 'skipped';
  /** On ok: what was found (server version, host-key source); on failed: why, and what to do. */
  detail?: string;
  code?: ErrorCode;
  /** The postgres stage, once connected: whether the connection is encrypted and what was verified. */
  tls?: PgTlsState;
  durationMs?: number;
  at: string;
}

export interface ConnectionTestResult {
  testId: string;
  profileId: string;
  /** True when every step passed (and there was at least one). */
  ok: boolean;
  failedStage?: ConnectionTestStage;
  /** Every step in the order it started, with its final status. */
  steps: ConnectionTestStep[];
}

const conflict = z.enum(importConflictStrategies, { error: 'must be one of skip, rename, replace' });
/** The largest import text accepted over a transport (the service refuses more than 2 MB with a clear message). */
const importText = z
  .string({ error: 'must be the file content as text' })
  .max(16 * 1024 * 1024, 'is larger than 16 MB: this is not a profiles export');

export const profilesOperations = {
  /** Every profile, without secrets (only whether each is set). */
  'profiles.list': operation<ProfileView[]>()(z.object({}).strict(), 'List profiles'),
  /** One profile by id, or by name (case-insensitive): what the editor and the CLI open. */
  'profiles.get': operation<ProfileView>()(
    z.union([z.object({ id: profileId }).strict(), z.object({ name: profileNameSchema }).strict()], {
      error: 'must name the profile by id or by name',
    }),
    'Get one profile',
  ),
  /**
   * Create (no id) or replace (id) a profile; secrets absent from the input are kept. Pass the
   * updatedAt the editor loaded as expectedUpdatedAt: a change saved elsewhere meanwhile (the
   * CLI, another window) then fails with code "conflict" instead of being overwritten. An edit
   * that lowers the profile's safety (the downgrades `profiles.previewSave` lists: environment,
   * safety level, read-only default, TLS, masks, assistants…) is refused with code "refused"
   * unless allowDowngrade, and an allowed one is recorded in the log.
   */
  'profiles.save': operation<ProfileView>()(
    z
      .object({
        id: profileId.optional(),
        profile: profileInputSchema,
        expectedUpdatedAt: z.string().min(1).max(64).optional(),
        allowDowngrade: z.boolean().optional(),
      })
      .strict(),
    'Create or update a profile',
  ),
  /** Remove a profile and its sealed secrets; its open sessions are closed first. */
  'profiles.remove': operation<{ removed: true }>()(z.object({ id: profileId }).strict(), 'Remove a profile'),
  /** The versioned export (no secrets) of the given profiles, all by default; the UI writes it to a file. */
  'profiles.export': operation<ProfilesExport>()(
    z.object({ ids: z.array(profileId).max(5000).optional() }).strict(),
    'Export profiles without secrets',
  ),
  /**
   * Import a profiles export (the file's text), all or nothing. A name clash with no onConflict
   * fails with code "conflict" naming the clashing profiles; dryRun reports without writing.
   * A replacement that lowers safety (environment, safety level, read-only default, TLS, legacy
   * password auth) is refused with code "refused" unless allowDowngrade; the report lists each
   * replaced profile's field-by-field changes and the stored secrets its new route dropped.
   */
  'profiles.import': operation<ImportReport>()(
    z
      .object({
        text: importText,
        onConflict: conflict.optional(),
        dryRun: z.boolean().optional(),
        allowDowngrade: z.boolean().optional(),
      })
      .strict(),
    'Import profiles from an export',
  ),
  /**
   * Each concrete Host of an ssh config (~/.ssh/config by default; Include and ProxyJump
   * followed) becomes a profile with its SSH part set. Clashes are skipped unless onConflict says
   * otherwise; dryRun lists what would be created (for a pick-list), `hosts` limits the import.
   */
  'profiles.importSshConfig': operation<ImportReport>()(
    z
      .object({
        path: z.string().min(1).max(4096).optional(),
        hosts: z.array(z.string().min(1).max(255)).max(5000).optional(),
        environment: z
          .enum(environmentKinds, { error: 'must be one of production, staging, development, custom' })
          .optional(),
        onConflict: conflict.optional(),
        dryRun: z.boolean().optional(),
        allowDowngrade: z.boolean().optional(),
      })
      .strict(),
    'Import hosts from ~/.ssh/config',
  ),
  /**
   * Test a saved profile on a throwaway connection: each SSH hop (connect → host key → auth),
   * then Postgres and Redis. Steps arrive as onConnectionTestStep events while it runs; pass a
   * testId to match them. Resolves (never rejects for a failed stage) with every step.
   */
  'profiles.testConnection': operation<ConnectionTestResult>()(
    z.object({ id: profileId, testId: z.string().min(1).max(64).optional() }).strict(),
    "Test a profile's connections stage by stage",
  ),
};

export const profilesEvents = {
  onConnectionTestStep: event<ConnectionTestStep>('A connection-test step started or ended'),
};

export { profileId as profileIdSchema };
