import { Suspense, useEffect } from 'react';
import { CommandPalette } from './components/CommandPalette';
import { Dock } from './components/Dock';
import { HelpSheet } from './components/HelpSheet';
import { HostKeyDialog } from './components/HostKeyDialog';
import { NoticeBar } from './components/NoticeBar';
import { Sidebar } from './components/Sidebar';
import { Splitter } from './components/Splitter';
import { TopBar } from './components/TopBar';
import { useBackgroundNotifications } from './hooks/use-background-notifications';
import { useGlobalShortcuts } from './hooks/use-global-shortcuts';
import { Drawer, HealthPanel, ProfileEditor, ProfilePane, RunbookPanel, SettingsView } from './lazy-views';
import { connectEvents, useApp } from './store';
import { shortcut } from './shortcut';

function Centre() {
  const centreView = useApp((s) => s.centreView);
  const editor = useApp((s) => s.editor);
  const selectedId = useApp((s) => s.selectedProfileId);
  const profiles = useApp((s) => s.profiles);
  const loaded = useApp((s) => s.profilesLoaded);
  const editorOpened = useApp((s) => s.editorOpened);
  const demoCreating = useApp((s) => s.demoCreating);
  if (centreView === 'settings') return <SettingsView />;
  if (centreView === 'runbook') return <RunbookPanel />;
  if (centreView === 'health' && selectedId) return <HealthPanel profileId={selectedId} />;
  if (editor.mode === 'new') return <ProfileEditor />;
  if (editor.mode === 'edit')
    return <ProfileEditor key={editor.profileId} profile={profiles.find((p) => p.id === editor.profileId)} />;
  if (selectedId) return <ProfilePane profileId={selectedId} />;
  if (loaded && profiles.length === 0) {
    return (
      <section className="empty-state" data-testid="empty-state">
        <h2>No environments yet</h2>
        <p>
          Add a profile for each environment you are on call for: its bastion (SSH) and its Postgres and Redis as seen
          from there.
        </p>
        <div className="actions">
          <button className="primary" onClick={() => editorOpened({ mode: 'new' })}>
            Add your first profile
          </button>
          <button
            onClick={() => void useApp.getState().demoRequested()}
            disabled={demoCreating}
            data-testid="empty-demo"
          >
            {demoCreating ? 'Preparing the demo database…' : 'Try the demo environment'}
          </button>
          <button onClick={() => useApp.getState().centreViewChosen('settings')} data-testid="empty-import">
            Import from ~/.ssh/config or a profiles file
          </button>
          <button onClick={() => useApp.getState().centreViewChosen('runbook')} data-testid="empty-runbooks">
            Open the bundled runbooks
          </button>
        </div>
        <p className="hint">
          The demo is a made-up shop in an embedded Postgres on this computer: no server needed, and you can remove it
          like any profile.
        </p>
        <p className="hint">
          Secrets you type are sealed on this computer and never shown again. Press F1 for the keyboard shortcuts.
        </p>
      </section>
    );
  }
  return <p className="empty">Choose a profile on the left, or press {shortcut('Ctrl/⌘ K')}.</p>;
}

export function App() {
  const appStarted = useApp((s) => s.appStarted);
  const theme = useApp((s) => s.settings.theme);
  const sizes = useApp((s) => s.sizes);
  const dockOpen = useApp((s) => s.dockOpen);
  const drawerOpen = useApp((s) => s.drawerOpen);
  useGlobalShortcuts();
  useBackgroundNotifications();
  useEffect(() => {
    const disconnect = connectEvents();
    void appStarted();
    return disconnect;
  }, [appStarted]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const layout = {
    '--sidebar': `${sizes.sidebar}px`,
    '--dock': `${sizes.dock}px`,
    '--drawer': `${sizes.drawer}px`,
  } as React.CSSProperties;
  return (
    <div className={`layout${drawerOpen ? ' with-drawer' : ''}`} style={layout}>
      <Sidebar />
      <Splitter pane="sidebar" orientation="vertical" label="Resize the profiles sidebar" />
      <div className={`workspace${dockOpen ? ' with-dock' : ''}`}>
        <TopBar />
        <main className="main">
          <NoticeBar />
          <Suspense fallback={null}>
            <Centre />
          </Suspense>
        </main>
        {dockOpen && (
          <>
            <Splitter pane="dock" orientation="horizontal" invert label="Resize the dock" />
            <Dock />
          </>
        )}
      </div>
      {drawerOpen && (
        <>
          <Splitter pane="drawer" orientation="vertical" invert label="Resize the timeline" />
          <Suspense fallback={null}>
            <Drawer />
          </Suspense>
        </>
      )}
      <HostKeyDialog />
      <CommandPalette />
      <HelpSheet />
    </div>
  );
}
