import { z } from 'zod';
import { operation } from './define';
import { profileInputSchema, type SecretName } from '../profile';
import type { FieldChange } from '../profile-constants';
import type { ConnectionTestResult } from './profiles';

/** What saving an edit would change, as the import's dry run shows it: nothing is written. */
export interface ProfileSavePreview {
  /** Every field that differs from the stored profile, each marked when it lowers safety. */
  changes: FieldChange[];
  /** Stored secrets the new route would drop (they are asked again): a new hop or server could be anyone's. */
  secretsDropped: SecretName[];
  /** The changes that lower safety, in words ("environment: production → development (DOWNGRADE: …)"). */
  downgrades: string[];
}

export const profileEditOperations = {
  /** The field-by-field diff an edit would make, the secrets it would drop and its downgrades, before saving. */
  'profiles.previewSave': operation<ProfileSavePreview>()(
    z
      .object({ id: z.string().min(1, 'is empty: name a profile by its id').max(64), profile: profileInputSchema })
      .strict(),
    'Preview a profile edit',
  ),
  /**
   * "Test connection" on the editor's unsaved draft, stage by stage like profiles.testConnection
   * (steps arrive as onConnectionTestStep with profileId "draft:<id>" or "draft:new"). Nothing is
   * saved. Secrets typed in the form are used for this test only; for an edit (id), a stored
   * secret is used only while its route is unchanged, exactly as saving would keep it.
   */
  'profiles.testDraft': operation<ConnectionTestResult>()(
    z
      .object({
        id: z.string().min(1, 'is empty: name the edited profile by its id').max(64).optional(),
        profile: profileInputSchema,
        testId: z.string().min(1).max(64).optional(),
      })
      .strict(),
    "Test an unsaved profile's connections stage by stage",
  ),
};
