/**
 * The `limit` best chunk numbers by score (descending), ties to the lower number (or to the one `after` does
 * not put last), via a bounded min-heap. `candidates`: the numbers to consider, or a count n for all of 0..n-1.
 */
export function topK(candidates: ArrayLike<number> | number, scores: Float64Array, limit: number, after: (left: number, right: number) => boolean = byNumber): number[] {
  // "worse" = lower score, or equal score and later in the tie order.
  const worse = (left: number, right: number) => scores[left]! < scores[right]! || (scores[left] === scores[right] && after(left, right));
  const heap: number[] = [];
  const siftDown = (start: number) => {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && worse(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && worse(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      swap(heap, index, smallest);
      index = smallest;
    }
  };
  const count = typeof candidates === 'number' ? candidates : candidates.length;
  for (let position = 0; position < count; position++) {
    const candidate = typeof candidates === 'number' ? position : candidates[position]!;
    if (heap.length < limit) {
      heap.push(candidate);
      let index = heap.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!worse(heap[index]!, heap[parent]!)) break;
        swap(heap, index, parent);
        index = parent;
      }
    } else if (worse(heap[0]!, candidate)) {
      heap[0] = candidate;
      siftDown(0);
    }
  }
  return heap.sort((left, right) => (worse(left, right) ? 1 : worse(right, left) ? -1 : 0));
}

/** The default tie order: the higher number last (one function for every call, on the answers' path). */
const byNumber = (left: number, right: number): boolean => left > right;

/** A swap without the array a destructuring swap allocates (a tenth of an answer's allocations were those). */
function swap(heap: number[], left: number, right: number): void {
  const held = heap[left]!;
  heap[left] = heap[right]!;
  heap[right] = held;
}

/** The tie order of chunk ids, for numbers that do not follow it (a copy that writes appended to): `topK`'s `after`. */
export function byChunkId(chunkIds: readonly string[]): (left: number, right: number) => boolean {
  return (left, right) => chunkIds[left]! > chunkIds[right]!;
}
