/**
 * A level-triggered interrupt for the runner's loop: `fire()` wakes whoever waits now, and anyone who starts
 * waiting before the next `clear()`. The loop clears it, checks its flags (stop? switch requested?), then
 * waits, so a fire between the check and the wait is never lost.
 */
export class Interrupt {
  private raised = false;
  private readonly listeners = new Set<() => void>();

  fire(): void {
    this.raised = true;
    for (const listener of [...this.listeners]) listener();
  }

  clear(): void {
    this.raised = false;
  }

  /** Calls `listener` once when fired (at once if already raised). Returns the function that unregisters it. */
  once(listener: () => void): () => void {
    if (this.raised) {
      queueMicrotask(listener);
      return () => undefined;
    }
    const wrapped = () => {
      this.listeners.delete(wrapped);
      listener();
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }
}

export const INTERRUPTED: unique symbol = Symbol('interrupted');

/**
 * `promise`, or INTERRUPTED if the interrupt fires first. Unlike Promise.race against one long-lived promise,
 * this leaves no reaction behind on the interrupt, so a loop running for months does not accumulate them.
 */
export function unlessInterrupted<T>(promise: Promise<T>, interrupt: Interrupt): Promise<T | typeof INTERRUPTED> {
  return new Promise((resolve, reject) => {
    const off = interrupt.once(() => resolve(INTERRUPTED));
    promise.then(
      (value) => {
        off();
        resolve(value);
      },
      (error: unknown) => {
        off();
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or less when `signal` aborts (stop must not wait out a back-off). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
