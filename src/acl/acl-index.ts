import { ACL_ADMIN_ROOT, type AclResourceNode } from './resource-tree.js';

/** Every resource id an integration can be granted, mapped to its parent (null for the admin root). */
const parentOf = new Map<string, string | null>();

(function index(node: AclResourceNode, parent: string | null) {
  parentOf.set(node.id, parent);
  for (const child of node.children) index(child, node.id);
})(ACL_ADMIN_ROOT, null);

/** Cap on resources in one request, as Saleor caps permission lists. */
export const MAX_GRANTED_RESOURCES = 500;

export function isKnownResource(id: string): boolean {
  return parentOf.has(id) && id !== ACL_ADMIN_ROOT.id;
}

/** The nodes shown in the "Custom" tree: the children of the admin root. */
export function selectableResourceTree(): readonly AclResourceNode[] {
  return ACL_ADMIN_ROOT.children;
}

/** True when `id` or one of its ancestors is in `granted`. */
export function isGranted(id: string, granted: ReadonlySet<string>): boolean {
  for (let current: string | null | undefined = id; current; current = parentOf.get(current)) {
    if (granted.has(current)) return true;
  }
  return false;
}
