import { useEffect } from 'react';
import { useApp } from '../store';

/** The window-wide shortcuts listed in the help sheet (commands.ts). */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const s = useApp.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'k') s.paletteToggled();
      else if (mod && e.key === ',') s.centreViewChosen('settings');
      else if (mod && key === 'j') s.dockToggled();
      else if (mod && key === 'i') s.drawerToggled();
      else if (mod && e.shiftKey && key === 'l') void s.themeToggled();
      else if (e.key === 'F1') s.helpToggled();
      else if (e.key === 'Escape' && (s.paletteOpen || s.helpOpen)) {
        s.paletteToggled(false);
        s.helpToggled(false);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
