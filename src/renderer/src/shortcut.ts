import { shortcutLabel } from '../../shared/shortcut-label';

/** `Ctrl/⌘ K` as this computer's keyboard says it (⌘ on macOS, Ctrl elsewhere). */
export function shortcut(label: string): string {
  return shortcutLabel(label, globalThis.navigator?.platform ?? '');
}
