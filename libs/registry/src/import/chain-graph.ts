/**
 * The 包保 chain as a graph of node ids: each holder points at its superior (at most one), so
 * the graph is a forest of chains unless an edge closes a loop. Nodes are stored holder ids or
 * `line:N` for rows that are not stored yet.
 */
export type NextOf = (node: string) => string | null | undefined;

/**
 * Every loop reachable from `starts`, each as the list of its nodes. One walk per start; a node
 * is finished once any walk has passed it, so the whole search is linear in the nodes visited.
 */
export function findLoops(starts: Iterable<string>, next: NextOf): string[][] {
  const finished = new Set<string>();
  const loops: string[][] = [];
  for (const start of starts) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let node: string | null | undefined = start;
    while (node && !finished.has(node)) {
      const seen = onPath.get(node);
      if (seen !== undefined) {
        loops.push(path.slice(seen));
        break;
      }
      onPath.set(node, path.length);
      path.push(node);
      node = next(node);
    }
    for (const n of path) finished.add(n);
  }
  return loops;
}

/**
 * Orders `nodes` so that each comes after the superior it points at (when that superior is
 * itself in `nodes`). The graph must be loop-free: call after `findLoops` found none.
 */
export function superiorsFirst(nodes: readonly string[], next: NextOf): string[] {
  const wanted = new Set(nodes);
  const placed = new Set<string>();
  const order: string[] = [];
  for (const start of nodes) {
    const climb: string[] = [];
    const climbing = new Set<string>();
    let node: string | null | undefined = start;
    while (node && wanted.has(node) && !placed.has(node) && !climbing.has(node)) {
      climb.push(node);
      climbing.add(node);
      node = next(node);
    }
    for (let i = climb.length - 1; i >= 0; i--) {
      placed.add(climb[i]);
      order.push(climb[i]);
    }
  }
  return order;
}
