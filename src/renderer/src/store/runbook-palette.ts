import type { AppState } from './app-state';

/** A palette entry as commands.ts lists them (declared here so the store does not import the palette). */
interface RunbookCommand {
  id: string;
  title: string;
  group: string;
  run(state: AppState): void;
}

/** Palette entries: every runbook of the library, and the steps of the open one. */
export function runbookPaletteCommands(state: AppState): RunbookCommand[] {
  const open = (path: string) => (st: AppState) => {
    st.centreViewChosen('runbook');
    void st.runbookOpened(path);
  };
  const commands: RunbookCommand[] = state.runbookLibrary.map((r) => ({
    id: `runbook:${r.path}`,
    title: `Runbook: ${r.title}`,
    group: 'Runbooks',
    run: open(r.path),
  }));
  for (const step of state.runbookPlan?.steps ?? []) {
    if (step.kind === 'checklist') continue;
    commands.push({
      id: `runbook-step:${step.id}`,
      title: `Step: ${step.title ?? step.id} (${step.kind})`,
      group: 'Runbook steps',
      run: (st) => {
        st.centreViewChosen('runbook');
        st.runbookStepFocused(step.id);
      },
    });
  }
  return commands;
}
