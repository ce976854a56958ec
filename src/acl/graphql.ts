import type { RESOURCE_ACCESS } from '../db/schema.js';
import { builder } from '../graphql/builder.js';
import {
  selectablePlacement,
  selectableResourceList,
  selectableResourceTree,
} from './acl-index.js';
import type { AclResourceNode } from './resource-tree.js';

const AclResourceType = builder.objectRef<AclResourceNode>('AclResource');
AclResourceType.implement({
  description: 'A node of the ACL resource tree that integrations are granted from.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Resource id, e.g. `Magento_Catalog::products`.' }),
    title: t.exposeString('title', { description: 'Label shown in the tree.' }),
    sortOrder: t.exposeInt('sortOrder', { description: 'Position among its siblings.' }),
    parentId: t.id({
      nullable: true,
      description: 'Id of the parent resource; null at the top level.',
      resolve: (node) => selectablePlacement(node.id).parentId,
    }),
    depth: t.int({
      description: 'Level in the tree: 1 at the top level (e.g. `Magento_Sales::sales`).',
      resolve: (node) => selectablePlacement(node.id).depth,
    }),
    children: t.field({
      type: [AclResourceType],
      description: 'Child resources; granting a node grants all of them.',
      resolve: (node) => [...node.children],
    }),
  }),
});

builder.queryField('aclResources', (t) =>
  t.field({
    type: [AclResourceType],
    description:
      'The resource tree of the "Custom" resource access: the children of `Magento_Backend::admin`. Admins only.',
    resolve: () => [...selectableResourceTree()],
  }),
);

builder.queryField('aclResourcesFlat', (t) =>
  t.field({
    type: [AclResourceType],
    description:
      'Every resource of `aclResources` in one flat list, in tree order (each node before its children): select `id title parentId depth` instead of nesting `children`. Admins only.',
    resolve: () => [...selectableResourceList()],
  }),
);

export const ResourceAccessEnum = builder.enumType('ResourceAccess', {
  description: 'Whether an integration may use every ACL resource or only the granted ones.',
  values: {
    ALL: { description: 'Every resource, present and future.' },
    CUSTOM: { description: 'Only the resources listed in `resources` (and their descendants).' },
  } satisfies Record<(typeof RESOURCE_ACCESS)[number], object>,
});
