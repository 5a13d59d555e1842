import { useEffect } from 'react';
import { useApp } from '../store';

const longRunMs = 5000;

/**
 * A system notification when a long query finishes while the window is in the background, so the
 * operator can look away during a slow run without missing its end.
 */
export function useBackgroundNotifications(): void {
  useEffect(() => {
    const started = new Map<string, number>();
    return useApp.subscribe((state, previous) => {
      for (const [profileId, pane] of Object.entries(state.sqlPanes)) {
        const was = previous.sqlPanes[profileId]?.running ?? false;
        if (pane.running && !was) started.set(profileId, Date.now());
        if (!pane.running && was) {
          const since = started.get(profileId);
          started.delete(profileId);
          if (
            since === undefined ||
            Date.now() - since < longRunMs ||
            !document.hidden ||
            typeof Notification === 'undefined'
          )
            continue;
          const profile = state.profiles.find((p) => p.id === profileId)?.name ?? 'a profile';
          const outcome = pane.result?.outcome ?? (pane.error ? 'failed' : 'finished');
          if (Notification.permission === 'granted')
            new Notification('Ops Console', {
              body: `The query on ${profile} ${outcome === 'read' ? 'finished' : outcome}.`,
            });
        }
      }
    });
  }, []);
}
