import type { Handlers } from '../../shared/contract';
import type { ProfileRepository } from '../store/profile-repository';
import type { ConnectionTester } from './connection-test';
import { draftTestHandlers } from './draft-test';

/** profiles.testConnection and profiles.testDraft: a saved profile's or an unsaved draft's connection test. */
export function connectionTestHandlers(
  tester: ConnectionTester,
  profiles: ProfileRepository,
): Pick<Handlers, 'profiles.testConnection' | 'profiles.testDraft'> {
  return {
    'profiles.testConnection': async ({ id, testId }) => tester.test(id, testId),
    ...draftTestHandlers(tester, profiles),
  };
}
