/** One holder at a time; the others are served in the order they asked, or first with `takeFirst`. */
export class Turns {
  #held = false;
  readonly #queue: Array<() => void> = [];

  /** Waits for a turn behind everyone already waiting. */
  take(): Promise<void> {
    return this.#wait((resolve) => this.#queue.push(resolve));
  }

  /** Waits for a turn right after the current holder's. */
  takeFirst(): Promise<void> {
    return this.#wait((resolve) => this.#queue.unshift(resolve));
  }

  /** Ends the current turn: the next in line gets it. */
  pass(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#held = false;
  }

  #wait(enqueue: (resolve: () => void) => void): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise(enqueue);
  }
}
