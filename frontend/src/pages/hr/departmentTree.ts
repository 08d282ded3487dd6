import type { Department } from '../../api/types';

export interface DepartmentNode extends Department {
  children: DepartmentNode[];
}

/** Nests the flat list by `parent_id` (children sorted by name; orphans become roots). */
export function buildDepartmentTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>();
  for (const d of departments) nodes.set(d.id, { ...d, children: [] });
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id !== null ? nodes.get(node.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byName = (a: DepartmentNode, b: DepartmentNode) => a.name.localeCompare(b.name);
  const sort = (list: DepartmentNode[]) => {
    list.sort(byName);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** The department and every department below it (it cannot be moved under those). */
export function subtreeIds(node: DepartmentNode): Set<number> {
  const ids = new Set<number>([node.id]);
  for (const child of node.children) for (const id of subtreeIds(child)) ids.add(id);
  return ids;
}
