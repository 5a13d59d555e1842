import type { AppState } from './store/app-state';
import { runbookPaletteCommands } from './store/runbook-palette';
import { shortcut } from './shortcut';

/** One entry of the command palette; `shortcut` is shown beside it and in the help sheet. */
export interface PaletteCommand {
  id: string;
  title: string;
  group: string;
  shortcut?: string;
  run(state: AppState): void;
}

export const shortcuts: { keys: string; action: string }[] = [
  { keys: shortcut('Ctrl/⌘ K'), action: 'Command palette: jump to a profile, run an action' },
  { keys: shortcut('Ctrl/⌘ Enter'), action: 'Run the SQL in the editor' },
  { keys: shortcut('Ctrl/⌘ ,'), action: 'Settings' },
  { keys: shortcut('Ctrl/⌘ J'), action: 'Show or hide the bottom dock (results, terminals)' },
  { keys: shortcut('Ctrl/⌘ I'), action: 'Show or hide the incident timeline' },
  { keys: shortcut('Ctrl/⌘ Shift L'), action: 'Switch between dark and light theme' },
  { keys: 'F1', action: 'This list of shortcuts' },
  { keys: 'Esc', action: 'Close the palette, a dialog or this sheet' },
];

/** Everything the palette offers right now, derived from the state (nothing stored twice). */
export function paletteCommands(state: AppState): PaletteCommand[] {
  const selected = state.profiles.find((p) => p.id === state.selectedProfileId);
  const sessionState = selected ? state.sessions[selected.id]?.state : undefined;
  const commands: PaletteCommand[] = state.profiles.map((profile) => ({
    id: `profile:${profile.id}`,
    title: `${profile.name} (${profile.environment})`,
    group: 'Profiles',
    run: (s) => s.profileSelected(profile.id),
  }));
  if (selected && (selected.postgres || selected.redis)) {
    commands.push({
      id: 'health',
      title: `Run the health checks of ${selected.name}`,
      group: 'Health',
      run: (s) => s.centreViewChosen('health'),
    });
  }
  if (selected?.ssh) {
    commands.push(
      sessionState === 'ready'
        ? {
            id: 'disconnect',
            title: `Disconnect ${selected.name}`,
            group: 'Connection',
            run: (s) => void s.disconnectRequested(selected.id),
          }
        : {
            id: 'connect',
            title: `Connect ${selected.name}`,
            group: 'Connection',
            run: (s) => void s.connectRequested(selected.id),
          },
    );
  }
  commands.push(...runbookPaletteCommands(state));
  if (selected?.postgres) {
    for (const template of state.templates) {
      commands.push({
        id: `template:${template.name}`,
        title: template.name,
        group: 'Templates',
        run: (s) => {
          s.profileSelected(selected.id);
          void s.templatePicked(selected.id, template.name);
        },
      });
    }
  }
  for (const incident of state.incidents.filter((i) => i.kind === 'incident' && i.status !== 'resolved')) {
    commands.push({
      id: `incident:${incident.id}`,
      title: `${incident.severity} ${incident.title} (${incident.status})`,
      group: 'Incidents',
      run: (s) => {
        void s.incidentActivated(incident.id);
        s.drawerToggled(true);
      },
    });
  }
  commands.push(
    { id: 'runbooks', title: 'Runbooks', group: 'Actions', run: (s) => s.centreViewChosen('runbook') },
    {
      id: 'start-incident',
      title: state.activeIncident ? `Incident: ${state.activeIncident.title}` : 'Start an incident',
      group: 'Incident',
      shortcut: shortcut('Ctrl/⌘ I'),
      run: (s) => s.drawerToggled(true),
    },
    { id: 'new-profile', title: 'New profile', group: 'Actions', run: (s) => s.editorOpened({ mode: 'new' }) },
    {
      id: 'settings',
      title: 'Settings',
      group: 'Actions',
      shortcut: shortcut('Ctrl/⌘ ,'),
      run: (s) => s.centreViewChosen('settings'),
    },
    { id: 'known-hosts', title: 'Known hosts', group: 'Actions', run: (s) => s.centreViewChosen('settings') },
    {
      id: 'toggle-dock',
      title: 'Show or hide the bottom dock',
      group: 'View',
      shortcut: shortcut('Ctrl/⌘ J'),
      run: (s) => s.dockToggled(),
    },
    {
      id: 'toggle-drawer',
      title: 'Show or hide the incident timeline',
      group: 'View',
      shortcut: shortcut('Ctrl/⌘ I'),
      run: (s) => s.drawerToggled(),
    },
    {
      id: 'toggle-theme',
      title: 'Switch dark / light theme',
      group: 'View',
      shortcut: shortcut('Ctrl/⌘ Shift L'),
      run: (s) => void s.themeToggled(),
    },
    { id: 'help', title: 'Keyboard shortcuts', group: 'Help', shortcut: 'F1', run: (s) => s.helpToggled(true) },
  );
  return commands;
}

/** Case-insensitive match of every typed word, in any order. */
export function matches(command: PaletteCommand, query: string): boolean {
  const haystack = `${command.group} ${command.title}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
