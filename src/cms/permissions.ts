import { requireResource } from '../permissions/acl-rules.js';
import type { PermissionFragment } from '../permissions/fragment.js';
import { everyone } from '../permissions/rules.js';

export const READ_PAGES = requireResource('Magento_Cms::page', { guests: true });
export const READ_BLOCKS = requireResource('Magento_Cms::block', { guests: true });
export const SAVE_PAGES = requireResource('Magento_Cms::save');

export const cmsPermissions: PermissionFragment = {
  Query: {
    cmsPages: READ_PAGES,
    cmsPage: READ_PAGES,
    cmsBlocks: READ_BLOCKS,
    cmsBlock: READ_BLOCKS,
  },
  Mutation: { cmsPageSave: SAVE_PAGES },
  CmsPage: everyone,
  CmsBlock: everyone,
  CmsPageConnection: everyone,
  CmsPageEdge: everyone,
  CmsBlockConnection: everyone,
  CmsBlockEdge: everyone,
  CmsError: everyone,
  CmsPageSavePayload: everyone,
};
