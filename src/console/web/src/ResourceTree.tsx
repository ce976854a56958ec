import { useMemo, useState } from 'react';
import {
  Button,
  Checkbox,
  Input,
  Label,
  SearchField,
  type Selection,
  Tree,
  TreeItem,
  TreeItemContent,
} from 'react-aria-components';

export interface AclNode {
  id: string;
  title: string;
  parentId: string | null;
}

interface TreeNode extends AclNode {
  children: TreeNode[];
}

function buildTree(flat: readonly AclNode[]): { roots: TreeNode[]; byId: Map<string, TreeNode> } {
  const byId = new Map<string, TreeNode>(flat.map((node) => [node.id, { ...node, children: [] }]));
  const roots: TreeNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return { roots, byId };
}

function descendants(node: TreeNode, into: string[] = []): string[] {
  for (const child of node.children) {
    into.push(child.id);
    descendants(child, into);
  }
  return into;
}

/**
 * The saved grants as checked nodes: a granted node grants its whole subtree, and a node whose
 * children are all checked is checked (three-state, as the reference's jsTree).
 */
export function expandGrants(flat: readonly AclNode[], granted: readonly string[]): Set<string> {
  const { byId } = buildTree(flat);
  const checked = new Set<string>();
  for (const id of granted) {
    const node = byId.get(id);
    if (!node) continue;
    checked.add(id);
    for (const child of descendants(node)) checked.add(child);
  }
  return normalise(byId, checked);
}

/** Parents follow their children: checked when every child is, unchecked otherwise. */
function normalise(byId: Map<string, TreeNode>, checked: Set<string>): Set<string> {
  const next = new Set(checked);
  const visit = (node: TreeNode): boolean => {
    if (node.children.length === 0) return next.has(node.id);
    const all = node.children.map(visit).every(Boolean);
    if (all) next.add(node.id);
    else next.delete(node.id);
    return all;
  };
  for (const node of byId.values()) if (!node.parentId || !byId.has(node.parentId)) visit(node);
  return next;
}

/**
 * What to send: the topmost checked nodes (a grant covers the subtree below it).
 */
export function grantsOf(flat: readonly AclNode[], checked: ReadonlySet<string>): string[] {
  const { byId } = buildTree(flat);
  return [...checked].filter((id) => {
    const parent = byId.get(id)?.parentId;
    return !(parent && checked.has(parent));
  });
}

function matches(node: TreeNode, query: string): boolean {
  return node.title.toLowerCase().includes(query) || node.id.toLowerCase().includes(query);
}

/** Nodes that match the search, with their ancestors so they stay in context. */
function visibleIds(roots: TreeNode[], query: string): Set<string> | null {
  if (!query) return null;
  const visible = new Set<string>();
  const visit = (node: TreeNode, trail: string[]): void => {
    if (matches(node, query)) for (const id of [...trail, node.id]) visible.add(id);
    for (const child of node.children) visit(child, [...trail, node.id]);
  };
  for (const root of roots) visit(root, []);
  return visible;
}

export function ResourceTree(props: {
  flat: readonly AclNode[];
  checked: ReadonlySet<string>;
  onChange(checked: Set<string>): void;
  isDisabled?: boolean;
}) {
  const { roots, byId } = useMemo(() => buildTree(props.flat), [props.flat]);
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<Set<string | number>>(
    () => new Set(roots.map((root) => root.id)),
  );
  const visible = visibleIds(roots, query.trim().toLowerCase());

  // The tree reports the rows toggled; checking or unchecking a node does the same to its subtree.
  const onSelectionChange = (keys: Selection) => {
    const selected = keys === 'all' ? new Set<string>(byId.keys()) : new Set([...keys].map(String));
    const next = new Set(props.checked);
    const changed = [
      ...[...selected].filter((id) => !props.checked.has(id)).map((id) => [id, true] as const),
      ...[...props.checked].filter((id) => !selected.has(id)).map((id) => [id, false] as const),
    ];
    for (const [id, on] of changed) {
      const node = byId.get(id);
      if (!node) continue;
      for (const each of [id, ...descendants(node)]) {
        if (on) next.add(each);
        else next.delete(each);
      }
    }
    props.onChange(normalise(byId, next));
  };

  const isPartial = (node: TreeNode) =>
    !props.checked.has(node.id) && descendants(node).some((id) => props.checked.has(id));

  const renderNode = (node: TreeNode): React.ReactNode => {
    if (visible && !visible.has(node.id)) return null;
    return (
      <TreeItem key={node.id} id={node.id} textValue={node.title} className="tree-item">
        <TreeItemContent>
          {({ hasChildItems, isExpanded, level }) => (
            <div className={`tree-row level-${Math.min(level, 8)}`}>
              {hasChildItems ? (
                <Button
                  slot="chevron"
                  className="chevron"
                  aria-label={isExpanded ? 'Collapse' : 'Expand'}
                >
                  <span aria-hidden="true">{isExpanded ? '▾' : '▸'}</span>
                </Button>
              ) : (
                <span className="chevron-space" />
              )}
              <Checkbox slot="selection" className="checkbox" isIndeterminate={isPartial(node)}>
                <span className="box" aria-hidden="true" />
              </Checkbox>
              <span className="tree-title">{node.title}</span>
            </div>
          )}
        </TreeItemContent>
        {node.children.map(renderNode)}
      </TreeItem>
    );
  };

  const allIds = useMemo(() => new Set<string | number>([...byId.keys()]), [byId]);
  return (
    <div className="resource-tree">
      <SearchField className="field" value={query} onChange={setQuery}>
        <Label>Search resources</Label>
        <Input />
      </SearchField>
      <div className="tree-tools">
        <Button className="link-button" onPress={() => setExpanded(new Set(allIds))}>
          Expand all
        </Button>
        <Button className="link-button" onPress={() => setExpanded(new Set())}>
          Collapse all
        </Button>
        <span className="muted" aria-live="polite">
          {props.checked.size} selected
        </span>
      </div>
      <Tree
        aria-label="Resources"
        className="tree"
        expandedKeys={visible ? allIds : expanded}
        onExpandedChange={(keys) => setExpanded(new Set(keys))}
        renderEmptyState={() => 'No resource matches the search.'}
        selectionMode="multiple"
        selectionBehavior="toggle"
        selectedKeys={props.checked as Set<string>}
        onSelectionChange={onSelectionChange}
        disabledKeys={props.isDisabled ? allIds : undefined}
      >
        {roots.map(renderNode)}
      </Tree>
    </div>
  );
}
