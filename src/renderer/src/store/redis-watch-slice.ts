import type { RedisWatchPane, RedisWatchSlice } from './state/redis-watch';
import type { StateCreator } from 'zustand';
import { noticeFrom } from './notice-slice';
import { attempt, noticeBar } from './request';
import { transport } from './transport-ref';
import type { AppState } from './app-state';

/** The renderer keeps the latest messages only: a watch is a look, not a log. */
const keptMessages = 500;
export const watchSeconds = 30;

export const createRedisWatchSlice: StateCreator<AppState, [], [], RedisWatchSlice> = (set, get) => {
  const show = noticeBar(get);
  const patch = (profileId: string, change: Partial<RedisWatchPane>) =>
    set((s) => {
      const current = s.redisWatchPanes[profileId] ?? { argv: [], messages: [], count: 0, typedName: '' };
      return { redisWatchPanes: { ...s.redisWatchPanes, [profileId]: { ...current, ...change } } };
    });
  return {
    redisWatchPanes: {},
    async redisWatchRequested(profileId, argv, confirm) {
      await attempt(show, async () => {
        const started = await transport().invoke('redis.watch', {
          profileId,
          argv,
          seconds: watchSeconds,
          ...(confirm ? { confirm } : {}),
        });
        if (started.outcome === 'watching')
          patch(profileId, {
            argv: started.argv,
            watchId: started.watchId,
            expiresAt: started.expiresAt,
            messages: [],
            count: 0,
            ended: undefined,
            pending: undefined,
            typedName: '',
          });
        else patch(profileId, { argv: started.argv, pending: started, watchId: undefined, ended: undefined });
      });
    },
    redisWatchNameTyped: (profileId, typedName) => patch(profileId, { typedName }),
    async redisWatchStopped(profileId) {
      const watchId = get().redisWatchPanes[profileId]?.watchId;
      if (watchId)
        await transport()
          .invoke('redis.stopWatch', { watchId })
          .catch((error: unknown) => get().noticeShown(noticeFrom(error)));
    },
    redisWatchClosed: (profileId) =>
      set((s) => {
        const { [profileId]: _closed, ...rest } = s.redisWatchPanes;
        return { redisWatchPanes: rest };
      }),
    redisWatchEventReceived(event) {
      const pane = get().redisWatchPanes[event.profileId];
      if (!pane || pane.watchId !== event.watchId) return;
      if (event.type === 'ended')
        patch(event.profileId, { ended: event.reason, count: event.count, watchId: undefined });
      else
        patch(event.profileId, {
          messages: [...pane.messages, ...event.messages].slice(-keptMessages),
          count: pane.count + event.messages.length + event.dropped,
        });
    },
  };
};
