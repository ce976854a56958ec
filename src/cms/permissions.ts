import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

const pages = requireResource('Magento_Cms::page', { guests: true });
const blocks = requireResource('Magento_Cms::block', { guests: true });

export const cmsPermissions: PermissionFragment = {
  Query: { cmsPages: pages, cmsPage: pages, cmsBlocks: blocks, cmsBlock: blocks },
  Mutation: { cmsPageSave: requireResource('Magento_Cms::save') },
  CmsPage: everyone,
  CmsBlock: everyone,
  CmsPageConnection: everyone,
  CmsPageEdge: everyone,
  CmsBlockConnection: everyone,
  CmsBlockEdge: everyone,
  CmsError: everyone,
  CmsPageSavePayload: everyone,
};
