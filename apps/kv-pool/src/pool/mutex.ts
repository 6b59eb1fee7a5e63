/**
 * An async mutex: callers run one at a time in arrival order. The pool holds it while it
 * changes placement and moves bytes between tiers, so a set of cache actions is carried out
 * completely before anyone looks at the new placement.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
