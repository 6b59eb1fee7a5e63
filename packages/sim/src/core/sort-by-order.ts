// Sorting a short, nearly sorted list in place without allocating: a decode worker's dirty list is sorted by
// add order once per step, and is almost always in that order already (the engine emits tokens in admission
// order). Array.prototype.sort with a comparator copies the list into a work array on every call (≈ 1 GB
// over the Mooncake trace, bench/results/sim-speed-r8-profile.md); insertion sort is O(n) on sorted input.

/** Sorts `items[0, count)` in place by ascending `order` (insertion sort: stable, no allocation). */
export function sortByOrderInPlace<T extends { readonly order: number }>(
  items: (T | undefined)[],
  count: number = items.length,
): void {
  for (let i = 1; i < count; i++) {
    const item = items[i] as T;
    const key = item.order;
    let j = i - 1;
    while (j >= 0 && (items[j] as T).order > key) {
      items[j + 1] = items[j] as T;
      j--;
    }
    items[j + 1] = item;
  }
}
