import { z } from 'zod';
import { operation } from './define';

export const workbenchTabKinds = ['sql', 'redis', 'browser'] as const;

export const workbenchTabSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1–40 lower-case letters, digits or dashes'),
    kind: z.enum(workbenchTabKinds),
    title: z.string().min(1).max(80),
    /** The editor text (SQL), the command line (Redis) or the MATCH filter (browser), unsaved. */
    text: z.string().max(1_000_000, 'must be at most 1,000,000 characters'),
  })
  .strict();
export type WorkbenchTab = z.infer<typeof workbenchTabSchema>;

export const profileTabsSchema = z
  .object({
    tabs: z.array(workbenchTabSchema).max(50, 'must be at most 50 tabs'),
    active: z.string().max(40),
  })
  .strict();
export type ProfileTabs = z.infer<typeof profileTabsSchema>;

export const workbenchSessionSchema = z
  .object({
    /** Tabs per profile id. */
    profiles: z.record(z.string().min(1).max(64), profileTabsSchema),
    /** The runbook open in the runbook view (a library path). */
    runbookPath: z.string().max(4096).optional(),
    selectedProfileId: z.string().max(64).optional(),
  })
  .strict();
export type WorkbenchSession = z.infer<typeof workbenchSessionSchema>;

export const workbenchOperations = {
  /** The tabs, unsaved editor text and open runbook as last saved (profiles that no longer exist left out). */
  'workbench.session': operation<WorkbenchSession>()(z.object({}).strict(), 'Read the saved workbench session'),
  /** Saves the session (the whole of it replaces the last); secrets found in editor text are masked first. */
  'workbench.saveSession': operation<{ saved: true }>()(
    z.object({ session: workbenchSessionSchema }).strict(),
    'Save the workbench session',
  ),
};
