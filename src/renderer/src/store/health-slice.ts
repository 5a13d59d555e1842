import { create, type StateCreator } from 'zustand';
import type { HealthCheckInfo, HealthCheckResult } from '../../../shared/health';
import { useApp } from './index';
import { noticeFrom } from './notice-slice';
import type { Notice } from './state/notice';
import { request } from './request';
import { transport } from './transport-ref';

/** Points kept per numeric check for the trend line. */
export const trendLength = 60;

export interface HealthTrendPoint {
  at: string;
  value: number;
}

export interface ProfileHealth {
  /** The latest result of each check. */
  results: Record<string, HealthCheckResult>;
  /** Numeric values over successive runs, oldest first (at most trendLength). */
  trends: Record<string, HealthTrendPoint[]>;
  /** Checks running now. */
  running: string[];
  lastRunAt?: string;
  /** Re-run everything every N seconds; 0 is off. */
  pollSeconds: number;
}

export interface HealthSlice {
  /** Every check's description (id, title, target, query, thresholds, what it means / what to do). */
  healthChecks: HealthCheckInfo[];
  health: Record<string, ProfileHealth>;
  healthChecksRequested(): Promise<void>;
  /** Runs every check of the profile, or only `ids` (re-run one). */
  healthRunRequested(profileId: string, ids?: string[]): Promise<void>;
  healthPollChosen(profileId: string, seconds: number): void;
  /** Opening the panel re-runs the checks when the last run is older than this (seconds; 0 runs every time). */
  healthCacheSeconds: number;
  healthCacheChosen(seconds: number): void;
  /** The panel opened: run every check unless a run within healthCacheSeconds is on screen. */
  healthPanelOpened(profileId: string): void;
}

const cacheKey = 'opsconsole.healthCacheSeconds';
function storedCacheSeconds(): number {
  const stored = Number(globalThis.localStorage?.getItem(cacheKey) ?? NaN);
  return Number.isFinite(stored) && stored >= 0 ? stored : 60;
}

const empty = (): ProfileHealth => ({ results: {}, trends: {}, running: [], pollSeconds: 0 });

/**
 * The Health panel's state per profile. Self-contained (it needs nothing else from the app's
 * store): `showNotice` puts failures of a whole run in the app's notice bar.
 */
export function healthSliceCreator(
  showNotice: (notice: Notice) => void,
): StateCreator<HealthSlice, [], [], HealthSlice> {
  return (set, get) => {
    const update = (profileId: string, change: (current: ProfileHealth) => Partial<ProfileHealth>) =>
      set((state) => {
        const current = state.health[profileId] ?? empty();
        return { health: { ...state.health, [profileId]: { ...current, ...change(current) } } };
      });
    return {
      healthChecks: [],
      health: {},
      async healthChecksRequested() {
        const healthChecks = await request(showNotice, 'health.checks', {});
        if (healthChecks) set({ healthChecks });
      },
      async healthRunRequested(profileId, ids) {
        const numeric = new Set(
          get()
            .healthChecks.filter((c) => c.numeric)
            .map((c) => c.id),
        );
        const targets = ids ?? get().healthChecks.map((c) => c.id);
        update(profileId, (current) => ({ running: [...new Set([...current.running, ...targets])] }));
        try {
          const run = await transport().invoke('health.run', { profileId, ...(ids ? { ids } : {}) });
          update(profileId, (current) => {
            const results = { ...current.results };
            const trends = { ...current.trends };
            for (const check of run.checks) {
              results[check.id] = check;
              if (numeric.has(check.id) && typeof check.value === 'number' && check.status !== 'error') {
                trends[check.id] = [...(trends[check.id] ?? []), { at: check.checkedAt, value: check.value }].slice(
                  -trendLength,
                );
              }
            }
            return { results, trends, lastRunAt: ids ? current.lastRunAt : run.startedAt };
          });
        } catch (error) {
          showNotice(noticeFrom(error));
        } finally {
          update(profileId, (current) => ({ running: current.running.filter((id) => !targets.includes(id)) }));
        }
      },
      healthPollChosen(profileId, seconds) {
        update(profileId, () => ({ pollSeconds: Math.max(0, Math.round(seconds)) }));
      },
      healthCacheSeconds: storedCacheSeconds(),
      healthCacheChosen(seconds) {
        const value = Math.max(0, Math.round(seconds));
        globalThis.localStorage?.setItem(cacheKey, String(value));
        set({ healthCacheSeconds: value });
      },
      healthPanelOpened(profileId) {
        const current = get().health[profileId];
        if (current?.running.length) return;
        const age = current?.lastRunAt ? Date.now() - Date.parse(current.lastRunAt) : Infinity;
        if (age >= get().healthCacheSeconds * 1000) void get().healthRunRequested(profileId);
      },
    };
  };
}

/**
 * The Health store. It stands alone, so the panel works wherever it is mounted; failures go to the
 * app store's notice bar.
 */
export const useHealth = create<HealthSlice>()(healthSliceCreator((notice) => useApp.getState().noticeShown(notice)));
