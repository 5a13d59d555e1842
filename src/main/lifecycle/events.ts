import type { EventName, PayloadOf } from '../../shared/contract';

export type EventListener = <E extends EventName>(name: E, payload: PayloadOf<E>) => void;

/** The contract's events (onSomething) on their way to every subscribed transport. */
export class CoreEvents {
  readonly #listeners = new Set<EventListener>();

  readonly emit: EventListener = (name, payload) => {
    for (const listener of this.#listeners) listener(name, payload);
  };

  /** Listens to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
