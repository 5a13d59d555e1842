import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal, type ITerminalInitOnlyOptions, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { scriptedStyleAttributes, withMirroredStyles } from './style-mirror';

export interface XtermHandle {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  /** 'webgl' once its chunk is in and the GPU allows it, else xterm's DOM renderer. */
  renderer: 'webgl' | 'dom';
  dispose(): void;
}

const theme = {
  background: '#0f1419',
  foreground: '#d8dee9',
  cursor: '#d8dee9',
  selectionBackground: '#3b4f6b',
};

function webglAvailable(): boolean {
  try {
    return document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

/** An xterm with fit, search, unicode 11 and links; the WebGL renderer when available (loaded after). */
export interface XtermOptions extends ITerminalOptions, ITerminalInitOnlyOptions {
  /** Try the WebGL renderer (default true). */
  gpu?: boolean;
}

export function createXterm(host: HTMLElement, options: XtermOptions, onLink?: (url: string) => void): XtermHandle {
  scriptedStyleAttributes();
  return withMirroredStyles(() => build(host, options, onLink));
}

function build(
  host: HTMLElement,
  { gpu = true, ...options }: XtermOptions,
  onLink?: (url: string) => void,
): XtermHandle {
  const term = new Terminal({
    allowProposedApi: true,
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    theme,
    ...options,
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  if (onLink)
    term.loadAddon(
      new WebLinksAddon((event, uri) => {
        event.preventDefault();
        onLink(uri);
      }),
    );
  term.open(host);
  let disposed = false;
  const handle: XtermHandle = {
    term,
    fit,
    search,
    renderer: 'dom',
    dispose: () => {
      disposed = true;
      term.dispose();
    },
  };
  host.dataset.renderer = 'dom';
  if (gpu && webglAvailable()) void loadWebgl(handle, host, () => disposed);
  return handle;
}

/**
 * The WebGL renderer comes in its own chunk, fetched when a terminal first opens: xterm's DOM
 * renderer draws meanwhile, and stays when the GPU refuses or the context is lost.
 */
async function loadWebgl(handle: XtermHandle, host: HTMLElement, disposed: () => boolean): Promise<void> {
  const drawWith = (renderer: XtermHandle['renderer']) => {
    handle.renderer = renderer;
    host.dataset.renderer = renderer;
  };
  try {
    const { WebglAddon } = await import('@xterm/addon-webgl');
    if (disposed()) return;
    const webgl = new WebglAddon();
    webgl.onContextLoss(() => {
      webgl.dispose();
      drawWith('dom');
    });
    withMirroredStyles(() => handle.term.loadAddon(webgl));
    drawWith('webgl');
  } catch {
    drawWith('dom');
  }
}

/** Fits without throwing when the pane is hidden (zero size). */
export function safeFit(handle: XtermHandle): void {
  const element = handle.term.element;
  if (!element || element.offsetWidth === 0 || element.offsetHeight === 0) return;
  try {
    handle.fit.fit();
  } catch {
    // the renderer is not ready yet; the next resize fits
  }
}
