import type { AppState, SetState } from './app-state';
import { request, type ShowNotice } from './request';
import { redisPaneOf } from './sql-panes';
import type { RedisPane, SqlSlice } from './state/sql';

type RedisConsoleActions = Pick<
  SqlSlice,
  'redisPanes' | 'redisLineEdited' | 'redisRunRequested' | 'redisConfirmNameTyped' | 'redisConfirmed' | 'redisDismissed'
>;

/** The Redis console of each profile: a command line, its reply, a command waiting for confirmation. */
export function createRedisConsoleActions(set: SetState, get: () => AppState): RedisConsoleActions {
  const patchRedis = (profileId: string, change: Partial<RedisPane>) =>
    set((s) => ({ redisPanes: { ...s.redisPanes, [profileId]: { ...redisPaneOf(s, profileId), ...change } } }));
  /** A failure shows in the console it came from, not the notice bar. */
  const inPane =
    (profileId: string): ShowNotice =>
    (error) =>
      patchRedis(profileId, { running: false, error });
  return {
    redisPanes: {},
    redisLineEdited: (profileId, line) => patchRedis(profileId, { line }),
    async redisRunRequested(profileId, argv) {
      const { line } = redisPaneOf(get(), profileId);
      const sent = argv ? { argv } : { line };
      patchRedis(profileId, {
        running: true,
        error: undefined,
        pending: undefined,
        sent,
        ...(argv ? { line: argv.join(' ') } : {}),
      });
      const result = await request(inPane(profileId), 'redis.run', { profileId, ...sent });
      if (!result) return;
      patchRedis(
        profileId,
        result.outcome === 'confirmation_required'
          ? { running: false, pending: result, typedName: '', result: undefined }
          : { running: false, result },
      );
    },
    redisConfirmNameTyped: (profileId, typedName) => patchRedis(profileId, { typedName }),
    async redisConfirmed(profileId) {
      const { pending, typedName, sent } = redisPaneOf(get(), profileId);
      if (!pending) return;
      patchRedis(profileId, { running: true, pending: undefined });
      const confirm = pending.confirmation?.policy === 'type-profile-name' ? { typedName } : {};
      const result = await request(inPane(profileId), 'redis.run', {
        profileId,
        ...(sent ?? { argv: pending.argv }),
        confirm,
      });
      if (result) patchRedis(profileId, { running: false, result });
    },
    redisDismissed: (profileId) => patchRedis(profileId, { pending: undefined }),
  };
}
