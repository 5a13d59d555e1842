/**
 * A shortcut as the operator's keyboard names it: the console writes `Ctrl/⌘ K` for "the
 * platform's command key", shown as `⌘ K` on macOS and `Ctrl K` on Linux and Windows.
 */
export function shortcutLabel(label: string, platform: string): string {
  const mac = /mac|iphone|ipad/i.test(platform);
  return label.replace(/Ctrl\/⌘/g, mac ? '⌘' : 'Ctrl');
}
