import { useEffect } from 'react';
import { HostKeyDialog } from './components/HostKeyDialog';
import { NoticeBar } from './components/NoticeBar';
import { ProfileEditor } from './components/ProfileEditor';
import { ProfilePane } from './components/ProfilePane';
import { Sidebar } from './components/Sidebar';
import { connectEvents, useApp } from './store';

function Main() {
  const editor = useApp((s) => s.editor);
  const selectedId = useApp((s) => s.selectedProfileId);
  const profiles = useApp((s) => s.profiles);
  const loaded = useApp((s) => s.profilesLoaded);
  const editorOpened = useApp((s) => s.editorOpened);
  if (editor.mode === 'new') return <ProfileEditor />;
  if (editor.mode === 'edit') return <ProfileEditor key={editor.profileId} profile={profiles.find((p) => p.id === editor.profileId)} />;
  if (selectedId) return <ProfilePane profileId={selectedId} />;
  if (loaded && profiles.length === 0) {
    return (
      <section className="empty-state" data-testid="empty-state">
        <h2>No environments yet</h2>
        <p>Add a profile for each environment you are on call for: its bastion (SSH) and its Postgres as seen from there.</p>
        <button className="primary" onClick={() => editorOpened({ mode: 'new' })}>Add your first profile</button>
      </section>
    );
  }
  return <p className="empty">Choose a profile on the left.</p>;
}

export function App() {
  const appStarted = useApp((s) => s.appStarted);
  useEffect(() => {
    const disconnect = connectEvents();
    void appStarted();
    return disconnect;
  }, [appStarted]);
  return (
    <div className="layout">
      <Sidebar />
      <main className="main">
        <NoticeBar />
        <Main />
      </main>
      <HostKeyDialog />
    </div>
  );
}
