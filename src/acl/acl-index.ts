import { ACL_ADMIN_ROOT, type AclResourceNode } from './resource-tree.js';

interface Placement {
  /** The parent's id; null for the admin root. */
  readonly parent: string | null;
  /** 0 for the admin root, 1 for the top level of the "Custom" tree. */
  readonly depth: number;
}

/** Every resource id of the tree, where it sits. */
const placementOf = new Map<string, Placement>();
/** The selectable resources depth first, each node before its children. */
const treeOrder: AclResourceNode[] = [];

(function index(node: AclResourceNode, parent: string | null, depth: number) {
  placementOf.set(node.id, { parent, depth });
  if (depth > 0) treeOrder.push(node);
  for (const child of node.children) index(child, node.id, depth + 1);
})(ACL_ADMIN_ROOT, null, 0);

/** Cap on resources in one request, as Saleor caps permission lists. */
export const MAX_GRANTED_RESOURCES = 500;

export function isKnownResource(id: string): boolean {
  return placementOf.has(id) && id !== ACL_ADMIN_ROOT.id;
}

/** The nodes shown in the "Custom" tree: the children of the admin root. */
export function selectableResourceTree(): readonly AclResourceNode[] {
  return ACL_ADMIN_ROOT.children;
}

/** Every node of the "Custom" tree in one list, depth first: the order the tree shows them in. */
export function selectableResourceList(): readonly AclResourceNode[] {
  return treeOrder;
}

/**
 * Where a node of the "Custom" tree sits: its parent in that tree (null at the top level, whose
 * parent is the admin root that is never shown) and its depth (1 at the top level).
 */
export function selectablePlacement(id: string): { parentId: string | null; depth: number } {
  const placement = placementOf.get(id);
  if (!placement || placement.depth === 0) throw new Error(`Not a selectable resource: ${id}`);
  return { parentId: placement.depth === 1 ? null : placement.parent, depth: placement.depth };
}

/** True when `id` or one of its ancestors is in `granted`. */
export function isGranted(id: string, granted: ReadonlySet<string>): boolean {
  for (
    let current: string | null | undefined = id;
    current;
    current = placementOf.get(current)?.parent
  ) {
    if (granted.has(current)) return true;
  }
  return false;
}
