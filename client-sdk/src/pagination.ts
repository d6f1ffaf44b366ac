// Async iteration over the hub's cursor-paginated lists: every item of every page, fetched as needed.
export type PageResult<T> = { items: T[]; nextCursor: string | null };

/** Every page of a list, e.g. `for await (const page of pages((i) => ccx.provisions.search.query(i), { q: 'house' }))`. */
export async function* pages<I extends { cursor?: string; limit?: number }, T>(
  call: (input: I) => Promise<PageResult<T>>,
  input: I,
): AsyncGenerator<T[]> {
  let cursor = input.cursor;
  for (;;) {
    const page = await call({ ...input, ...(cursor ? { cursor } : {}) });
    yield page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** Every item of a list, one at a time. */
export async function* items<I extends { cursor?: string; limit?: number }, T>(
  call: (input: I) => Promise<PageResult<T>>,
  input: I,
): AsyncGenerator<T> {
  for await (const page of pages(call, input)) yield* page;
}

/** Every event after `since`, following the feed until it is up to date. */
export async function* eventsSince<E extends { id: string }>(
  list: (input: { since?: string; limit: number }) => Promise<{ items: E[]; nextSince: string | null }>,
  since = '0',
  limit = 200,
): AsyncGenerator<E> {
  let cursor = since;
  for (;;) {
    const page = await list({ since: cursor, limit });
    yield* page.items;
    if (page.items.length < limit || !page.nextSince) return;
    cursor = page.nextSince;
  }
}
