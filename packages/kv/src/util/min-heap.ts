/** A binary min-heap ordered by `priority`; ties pop in unspecified order. */
export class MinHeap<T> {
  private readonly items: { priority: number; value: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(priority: number, value: T): void {
    const items = this.items;
    items.push({ priority, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as { priority: number }).priority <= priority) break;
      items[i] = items[parent] as { priority: number; value: T };
      i = parent;
    }
    items[i] = { priority, value };
  }

  pop(): { priority: number; value: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child =
        r < n && (items[r] as { priority: number }).priority < (items[l] as { priority: number }).priority ? r : l;
      if ((items[child] as { priority: number }).priority >= last.priority) break;
      items[i] = items[child] as { priority: number; value: T };
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
