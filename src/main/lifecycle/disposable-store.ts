/** Anything that holds a resource (sockets, timers, files, a store) and lets it go. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Owns disposables in the order they were built and disposes them in reverse (VS Code's
 * DisposableStore): what was built last depends on what came before, so it goes first. One
 * failure does not keep the rest open; the first error is rethrown once everything was tried.
 */
export class DisposableStore implements Disposable {
  readonly #items: Disposable[] = [];
  #disposed = false;

  /** Registers a disposable and returns it, so a service is built and owned in one expression. */
  add<T extends Disposable>(item: T): T {
    if (this.#disposed) throw new Error('DisposableStore: add() after dispose()');
    this.#items.push(item);
    return item;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const errors: unknown[] = [];
    for (const item of this.#items.splice(0).reverse()) {
      try {
        await item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
