import type { EventName, EventPayload } from '../common/api.ts';

type Listener = (event: EventName, payload: unknown) => void;

/** Push events of the contract, from the services to whichever transport is attached. */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
