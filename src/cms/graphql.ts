import type { Page } from '../db/page.js';
import type { Outcome } from '../errors.js';
import { builder } from '../graphql/builder.js';
import { connectionType, pageArgs } from '../graphql/connection.js';
import { domainErrorType } from '../graphql/domain-error-type.js';
import { aclNote } from '../permissions/acl-rules.js';
import type { CmsBlockRow, CmsPageRow } from './cms-repository.js';
import type { CmsErrorCode } from './cms-service.js';
import { READ_BLOCKS, READ_PAGES, SAVE_PAGES } from './permissions.js';

const CmsPageType = builder.objectRef<CmsPageRow>('CmsPage').implement({
  description: 'A content page.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    identifier: t.exposeString('identifier', { description: 'URL key, unique (e.g. `home`).' }),
    title: t.exposeString('title', { description: 'Page title.' }),
    content: t.exposeString('content', { description: 'Page content (HTML).' }),
    isActive: t.exposeBoolean('isActive', { description: 'Published in the storefront.' }),
    metaTitle: t.exposeString('metaTitle', { nullable: true, description: 'SEO title.' }),
    metaDescription: t.exposeString('metaDescription', {
      nullable: true,
      description: 'SEO description.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const CmsBlockType = builder.objectRef<CmsBlockRow>('CmsBlock').implement({
  description: 'A reusable block of content.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    identifier: t.exposeString('identifier', { description: 'Key, unique.' }),
    title: t.exposeString('title', { description: 'Block title.' }),
    content: t.exposeString('content', { description: 'Block content (HTML).' }),
    isActive: t.exposeBoolean('isActive', { description: 'Published in the storefront.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const CmsPageConnection = connectionType<CmsPageRow, Page<CmsPageRow>>(
  'CmsPage',
  CmsPageType,
  'CMS page',
);
const CmsBlockConnection = connectionType<CmsBlockRow, Page<CmsBlockRow>>(
  'CmsBlock',
  CmsBlockType,
  'CMS block',
);

const GUESTS_SEE = 'active items only';

builder.queryFields((t) => ({
  cmsPages: t.field({
    type: CmsPageConnection,
    nullable: true,
    description: `CMS pages by id. ${aclNote(READ_PAGES, GUESTS_SEE)}.`,
    args: {
      ...pageArgs(t.arg),
    },
    resolve: (_root, args, ctx) => ctx.services.cms.listPages(args, ctx.activeOnly),
  }),
  cmsPage: t.field({
    type: CmsPageType,
    nullable: true,
    description: `One CMS page by identifier, or null. ${aclNote(READ_PAGES, GUESTS_SEE)}.`,
    args: { identifier: t.arg.string({ required: true, description: 'Page identifier.' }) },
    resolve: (_root, { identifier }, ctx) => ctx.services.cms.findPage(identifier, ctx.activeOnly),
  }),
  cmsBlocks: t.field({
    type: CmsBlockConnection,
    nullable: true,
    description: `CMS blocks by id. ${aclNote(READ_BLOCKS, GUESTS_SEE)}.`,
    args: {
      ...pageArgs(t.arg),
    },
    resolve: (_root, args, ctx) => ctx.services.cms.listBlocks(args, ctx.activeOnly),
  }),
  cmsBlock: t.field({
    type: CmsBlockType,
    nullable: true,
    description: `One CMS block by identifier, or null. ${aclNote(READ_BLOCKS, GUESTS_SEE)}.`,
    args: { identifier: t.arg.string({ required: true, description: 'Block identifier.' }) },
    resolve: (_root, { identifier }, ctx) => ctx.services.cms.findBlock(identifier, ctx.activeOnly),
  }),
}));

const CmsError = domainErrorType('CmsError', {
  REQUIRED: 'A required field is empty.',
  INVALID: 'A field has an invalid value.',
} satisfies Record<CmsErrorCode, string>);

const CmsPageSaveInput = builder.inputType('CmsPageSaveInput', {
  description: 'A CMS page to create, or to replace when its identifier exists.',
  fields: (t) => ({
    identifier: t.string({
      required: true,
      description: 'URL key: lowercase letters, digits, "-", "_", "/".',
    }),
    title: t.string({ required: true, description: 'Title, at most 255 characters.' }),
    content: t.string({ required: true, description: 'Content (HTML), at most 2 MiB.' }),
    isActive: t.boolean({ description: 'Published (default true).' }),
    metaTitle: t.string({ description: 'SEO title.' }),
    metaDescription: t.string({ description: 'SEO description.' }),
  }),
});

const CmsPageSavePayload = builder
  .objectRef<Outcome<{ page: CmsPageRow | null }, CmsErrorCode>>('CmsPageSavePayload')
  .implement({
    description: 'Result of cmsPageSave.',
    fields: (t) => ({
      cmsPage: t.field({
        type: CmsPageType,
        nullable: true,
        description: 'The page as saved.',
        resolve: (p) => p.page,
      }),
      errors: t.field({
        type: [CmsError],
        description: 'Invalid input; empty on success.',
        resolve: (p) => p.errors,
      }),
    }),
  });

builder.mutationField('cmsPageSave', (t) =>
  t.field({
    type: CmsPageSavePayload,
    nullable: true,
    description: `Creates or replaces a CMS page by identifier. ${aclNote(SAVE_PAGES)}.`,
    args: { input: t.arg({ type: CmsPageSaveInput, required: true, description: 'The page.' }) },
    resolve: (_root, { input }, ctx) => ctx.services.cms.savePage(input),
  }),
);
