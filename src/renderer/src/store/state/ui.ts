/** What fills the centre of the window. */
export type CentreView = 'profile' | 'settings' | 'runbook' | 'health';

export interface PaneSizes {
  sidebar: number;
  dock: number;
  drawer: number;
}

export interface UiSlice {
  centreView: CentreView;
  dockOpen: boolean;
  drawerOpen: boolean;
  paletteOpen: boolean;
  helpOpen: boolean;
  sizes: PaneSizes;
  centreViewChosen(view: CentreView): void;
  dockToggled(open?: boolean): void;
  drawerToggled(open?: boolean): void;
  paletteToggled(open?: boolean): void;
  helpToggled(open?: boolean): void;
  paneResized(pane: keyof PaneSizes, size: number): void;
}
