import type { Handlers } from '../../shared/contract';
import type { ProfileRepository } from '../store/profile-repository';
import type { ProfileService } from './profile-service';

type ProfileHandlers = Pick<
  Handlers,
  Exclude<Extract<keyof Handlers, `profiles.${string}`>, 'profiles.testConnection' | 'profiles.testDraft'>
>;

interface ProfileHandlerDeps {
  profiles: ProfileRepository;
  profileService: ProfileService;
  /** What a removed profile leaves behind in domains above this one (its sandboxes). */
  afterRemove(profileId: string): Promise<unknown>;
}

/** profiles.*: the saved connection profiles and their files (connection tests: connection-test/handlers.ts). */
export function profileHandlers({ profiles, profileService, afterRemove }: ProfileHandlerDeps): ProfileHandlers {
  return {
    'profiles.list': async () => profiles.list(),
    'profiles.get': async (ref) => profileService.resolve(ref),
    'profiles.export': async ({ ids }) => profileService.export(ids),
    'profiles.import': async ({ text, ...options }) => profileService.importFile(text, options),
    'profiles.importSshConfig': async ({ path, hosts, environment, ...options }) =>
      profileService.importSshConfig({ path, hosts, environment }, options),
    'profiles.save': async (request) => profileService.save(request),
    'profiles.previewSave': async ({ id, profile }) => profileService.previewSave(id, profile),
    'profiles.remove': async ({ id }) => {
      await profileService.remove(id);
      await afterRemove(id);
      return { removed: true as const };
    },
  };
}
