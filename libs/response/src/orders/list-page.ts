import type { Page } from '@fangxun/common';
import { decodeCursor, encodeCursor } from '@fangxun/common';
import type { ListPage } from './order.repository';

/** Orders and sheet chains page by (createdAt, id), newest first unless `order=asc`. */
const SORT = 'createdAt';

export function pageOf(q: { limit?: number; cursor?: string; order?: 'asc' | 'desc' }, pageSize: number): ListPage {
  return {
    desc: q.order !== 'asc',
    after: q.cursor ? (decodeCursor(q.cursor, SORT, 2) as [string, string]) : undefined,
    limit: (q.limit ?? pageSize) + 1,
  };
}

/** The page's items and the cursor after its last row (null when the query found no more). */
export async function toPage<R extends { id: string; createdAt: Date }, T>(
  rows: R[],
  page: ListPage,
  map: (r: R) => Promise<T>,
): Promise<Page<T>> {
  const limit = page.limit - 1;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const out: T[] = [];
  for (const r of items) out.push(await map(r));
  return { items: out, nextCursor: rows.length > limit && last ? encodeCursor(SORT, [last.createdAt.toISOString(), last.id]) : null };
}
