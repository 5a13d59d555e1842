import type { Handlers } from '../../../shared/contract';
import type { HistoryRepository } from './history-repository';

type HistoryHandlers = Pick<Handlers, Extract<keyof Handlers, `sqlHistory.${string}`>>;

/** The sqlHistory.* operations over the history repository. */
export function sqlHistoryHandlers(history: HistoryRepository): HistoryHandlers {
  return {
    'sqlHistory.search': async (query) => ({ entries: history.search(query) }),
    'sqlHistory.clear': async ({ profileId }) => ({ cleared: history.clear(profileId) }),
  };
}
