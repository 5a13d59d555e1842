import type { TerminalPrefs } from './state/terminals';

const prefsKey = 'opsconsole.terminalPrefs';
const defaultPrefs: TerminalPrefs = { fontSize: 13, scrollback: 5000, gpu: true };

export function loadTerminalPrefs(): TerminalPrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(prefsKey) ?? '{}') as Partial<TerminalPrefs>;
    return clampTerminalPrefs({ ...defaultPrefs, ...stored });
  } catch {
    return defaultPrefs;
  }
}

export function clampTerminalPrefs(prefs: TerminalPrefs): TerminalPrefs {
  const fontSize = Number.isFinite(prefs.fontSize)
    ? Math.min(32, Math.max(8, Math.round(prefs.fontSize)))
    : defaultPrefs.fontSize;
  const scrollback = Number.isFinite(prefs.scrollback)
    ? Math.min(100_000, Math.max(100, Math.round(prefs.scrollback)))
    : defaultPrefs.scrollback;
  return { fontSize, scrollback, gpu: prefs.gpu !== false };
}

/** Keeps the operator's choice for the next start. */
export function saveTerminalPrefs(prefs: TerminalPrefs): void {
  localStorage.setItem(prefsKey, JSON.stringify(prefs));
}
