import type { PaneSizes, UiSlice } from './state/ui';
import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

const sizesKey = 'opsconsole.paneSizes';
const defaultSizes: PaneSizes = { sidebar: 260, dock: 280, drawer: 340 };
export const sizeBounds: Record<keyof PaneSizes, [number, number]> = {
  sidebar: [180, 480],
  dock: [120, 700],
  drawer: [240, 640],
};

function loadSizes(): PaneSizes {
  try {
    const stored = JSON.parse(localStorage.getItem(sizesKey) ?? '{}') as Partial<PaneSizes>;
    const sizes = { ...defaultSizes };
    for (const key of Object.keys(defaultSizes) as (keyof PaneSizes)[]) {
      const value = stored[key];
      if (typeof value === 'number' && value >= sizeBounds[key][0] && value <= sizeBounds[key][1]) sizes[key] = value;
    }
    return sizes;
  } catch {
    return defaultSizes;
  }
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  centreView: 'profile',
  dockOpen: false,
  drawerOpen: false,
  paletteOpen: false,
  helpOpen: false,
  sizes: loadSizes(),
  centreViewChosen: (view) => set({ centreView: view, editor: { mode: 'closed' } }),
  dockToggled: (open) => set((s) => ({ dockOpen: open ?? !s.dockOpen })),
  drawerToggled: (open) => set((s) => ({ drawerOpen: open ?? !s.drawerOpen })),
  paletteToggled: (open) => set((s) => ({ paletteOpen: open ?? !s.paletteOpen, helpOpen: false })),
  helpToggled: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen, paletteOpen: false })),
  paneResized(pane, size) {
    const [min, max] = sizeBounds[pane];
    const sizes = { ...get().sizes, [pane]: Math.round(Math.min(max, Math.max(min, size))) };
    set({ sizes });
    localStorage.setItem(sizesKey, JSON.stringify(sizes));
  },
});
