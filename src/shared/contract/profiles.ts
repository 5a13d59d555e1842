import { z } from 'zod';
import { operation } from './define';
import { profileInputSchema, type ProfileView } from '../profile';

const profileId = z.string().min(1, 'is empty: name a profile by its id').max(64);

export const profilesOperations = {
  /** Every profile, without secrets (only whether each is set). */
  'profiles.list': operation<ProfileView[]>()(z.object({}).strict(), 'List profiles'),
  /** Create (no id) or replace (id) a profile; secrets absent from the input are kept. */
  'profiles.save': operation<ProfileView>()(
    z.object({ id: profileId.optional(), profile: profileInputSchema }).strict(),
    'Create or update a profile',
  ),
  /** Remove a profile and its sealed secrets; its open sessions are closed first. */
  'profiles.remove': operation<{ removed: true }>()(z.object({ id: profileId }).strict(), 'Remove a profile'),
};

export { profileId as profileIdSchema };
