import { readableTextOn } from '../colors';
import { useOnline } from '../hooks/use-online';
import { useApp } from '../store';
import { shortcut } from '../shortcut';

/** Above the workspace: the production banner (in the profile's colour) and the view switches. */
export function TopBar() {
  const profile = useApp((s) => s.profiles.find((p) => p.id === s.selectedProfileId));
  const centreView = useApp((s) => s.centreView);
  const dockOpen = useApp((s) => s.dockOpen);
  const drawerOpen = useApp((s) => s.drawerOpen);
  const theme = useApp((s) => s.settings.theme);
  const { paletteToggled, centreViewChosen, dockToggled, drawerToggled, themeToggled, helpToggled } = useApp.getState();
  const online = useOnline();
  // Every view that can change a production profile (the SQL console, a runbook, the terminals).
  const production = centreView !== 'settings' && profile?.environment === 'production';
  return (
    <header className="topbar">
      {production && (
        <div
          className="production-banner"
          role="status"
          data-testid="production-banner"
          style={{ '--banner': profile.color, '--banner-text': readableTextOn(profile.color) } as React.CSSProperties}
        >
          PRODUCTION — {profile.name}: every change here is real. Writes ask you to type the profile's name.
        </div>
      )}
      {profile?.demo && centreView !== 'settings' && (
        <div className="demo-banner" role="status" data-testid="demo-banner">
          DEMO — {profile.name}: an embedded Postgres on this computer with made-up data. No SSH, no Redis, no server.
        </div>
      )}
      <div className="toolbar" role="toolbar" aria-label="Workspace">
        <button onClick={() => paletteToggled(true)} data-testid="open-palette" title={shortcut('Ctrl/⌘ K')}>
          Search… {shortcut('Ctrl/⌘ K')}
        </button>
        <div className="spacer" />
        {!online && (
          <span className="offline" role="status" data-testid="offline">
            Offline — profiles, runbooks and reports still work
          </span>
        )}
        <button
          aria-pressed={centreView === 'runbook'}
          onClick={() => centreViewChosen(centreView === 'runbook' ? 'profile' : 'runbook')}
          data-testid="open-runbooks"
          title="Runbooks"
        >
          Runbooks
        </button>
        <button aria-pressed={dockOpen} onClick={() => dockToggled()} title={shortcut('Ctrl/⌘ J')}>
          Dock
        </button>
        <button
          aria-pressed={drawerOpen}
          onClick={() => drawerToggled()}
          title={shortcut('Ctrl/⌘ I')}
          data-testid="toggle-timeline"
        >
          Timeline
        </button>
        <button
          onClick={() => void themeToggled()}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          data-testid="toggle-theme"
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          aria-pressed={centreView === 'settings'}
          onClick={() => centreViewChosen(centreView === 'settings' ? 'profile' : 'settings')}
          data-testid="open-settings"
          title={shortcut('Ctrl/⌘ ,')}
        >
          Settings
        </button>
        <button onClick={() => helpToggled(true)} aria-label="Keyboard shortcuts" title="F1">
          ?
        </button>
      </div>
    </header>
  );
}
