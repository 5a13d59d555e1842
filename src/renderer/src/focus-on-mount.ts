/**
 * A callback ref that focuses its element once, when it is mounted: what React's `autoFocus` does
 * for a dialog opened later. The renderer runs on Preact (vite.renderer.config.mts), which sets
 * the HTML `autofocus` attribute instead, and a browser honours that only once per page load.
 * One function for every element, so the ref's identity never changes and it never refocuses.
 */
export function focusOnMount(element: HTMLElement | null): void {
  element?.focus();
}
