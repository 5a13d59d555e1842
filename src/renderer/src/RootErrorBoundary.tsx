import { Component, type ReactNode } from 'react';

interface State {
  error?: Error;
}

/**
 * A rendering error anywhere replaces the window with a plain page that says so. Without it, React
 * would leave the root blank and Preact (the renderer's runtime) would leave the last screen in
 * place, still clickable but never updated again: a break-glass countdown frozen, buttons acting
 * on old state. Nothing runs in the window itself: queries, previews waiting for their
 * confirmation and terminals live in the core, and a reload shows them again.
 */
export class RootErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <main className="fatal-error" role="alert" data-testid="fatal-error">
        <h1>The window stopped drawing after an error</h1>
        <p>
          What runs in the console is not affected: queries, changes waiting for their confirmation and terminals stay
          in the core. Reload the window to see them again.
        </p>
        <pre>{error.message}</pre>
        <button className="primary" onClick={() => location.reload()}>
          Reload the window
        </button>
      </main>
    );
  }
}
