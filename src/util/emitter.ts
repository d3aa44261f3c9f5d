// A tiny typed event emitter for the pure layers (which may not import 'vscode').
// Its `event` has the same shape as vscode.Event, so adapters can hand it on unchanged.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => unknown;
export type Event<T> = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener, thisArg, disposables) => {
    const bound: Listener<T> = thisArg === undefined ? listener : listener.bind(thisArg);
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // one faulty listener must not starve the others
        console.error(err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
