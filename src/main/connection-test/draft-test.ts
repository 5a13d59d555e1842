import type { Handlers } from '../../shared/contract';
import type { ProfileInputParsed } from '../../shared/profile';
import type { ProfileRepository } from '../store/profile-repository';
import type { ConnectionTester, SecretSource, TestTarget } from './connection-test';
import { secretsOffRoute } from '../profiles/secret-route';

/** The key a draft's test steps carry (the renderer keeps a draft's test apart from the saved profile's). */
export const draftTestKey = (id?: string) => `draft:${id ?? 'new'}`;

/**
 * The secrets a draft test may send: what the form typed, else (for an edit) the stored secret,
 * but only while saving this draft would keep it, so a changed host or hop never gets the old one.
 */
export function draftSecrets(
  draft: ProfileInputParsed,
  stored?: { before: Parameters<typeof secretsOffRoute>[0]; open: SecretSource },
): SecretSource {
  const offRoute = new Set(stored ? secretsOffRoute(stored.before, draft) : []);
  return (name) => {
    const typed = draft.secrets[name];
    if (typed) return 'set' in typed ? typed.set : undefined;
    return stored && !offRoute.has(name) ? stored.open(name) : undefined;
  };
}

/** profiles.testDraft: a throwaway test of the editor's draft; reads the store only for an edit's kept secrets. */
export function draftTestHandlers(
  tester: ConnectionTester,
  profiles: ProfileRepository,
): Pick<Handlers, 'profiles.testDraft'> {
  return {
    'profiles.testDraft': async ({ id, profile, testId }) => {
      const before = id ? profiles.get(id) : undefined;
      const target: TestTarget = {
        id: draftTestKey(id),
        ssh: profile.ssh,
        postgres: profile.postgres,
        redis: profile.redis,
      };
      const secrets = draftSecrets(profile, before && { before, open: (name) => profiles.secret(before.id, name) });
      return tester.testTarget(target, secrets, testId);
    },
  };
}
