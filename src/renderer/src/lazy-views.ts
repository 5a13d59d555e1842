import { lazy } from 'react';

/**
 * The centre views and the timeline drawer, each its own chunk fetched on first use: they hold
 * zod, re2js and markdown-it (profile schemas, mask patterns, runbook markdown), which the window
 * does not need to paint its frame (issue 28: ≤ 500 kB of JavaScript before first paint).
 */
export const SettingsView = lazy(() => import('./components/SettingsView').then((m) => ({ default: m.SettingsView })));
export const RunbookPanel = lazy(() =>
  import('./components/runbook/RunbookPanel').then((m) => ({ default: m.RunbookPanel })),
);
export const HealthPanel = lazy(() =>
  import('./components/health/HealthPanel').then((m) => ({ default: m.HealthPanel })),
);
export const ProfileEditor = lazy(() =>
  import('./components/ProfileEditor').then((m) => ({ default: m.ProfileEditor })),
);
export const ProfilePane = lazy(() => import('./components/ProfilePane').then((m) => ({ default: m.ProfilePane })));
export const Drawer = lazy(() => import('./components/Drawer').then((m) => ({ default: m.Drawer })));
