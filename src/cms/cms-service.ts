import type { Database } from '../db/client.js';
import type { Page, PageArgs, Pager } from '../db/page.js';
import { cmsBlocks, cmsPages } from '../db/store-schema.js';
import { type DomainError, type Outcome, refused } from '../errors.js';
import { hasLoneSurrogate, INVALID_UNICODE_MESSAGE } from '../text.js';
import {
  type CmsPageRow,
  countCmsItems,
  findCmsItem,
  listCmsItems,
  upsertCmsPage,
} from './cms-repository.js';

export type CmsErrorCode = 'REQUIRED' | 'INVALID';

export interface CmsPageInput {
  identifier: string;
  title: string;
  content: string;
  isActive?: boolean | null;
  metaTitle?: string | null;
  metaDescription?: string | null;
}

const IDENTIFIER = /^[a-z0-9][a-z0-9_/-]{0,99}$/;
const MAX_CONTENT = 2 * 1024 * 1024;

function validatePage(input: CmsPageInput): DomainError<CmsErrorCode>[] {
  const errors: DomainError<CmsErrorCode>[] = [];
  if (!IDENTIFIER.test(input.identifier)) {
    errors.push({
      code: 'INVALID',
      field: 'input.identifier',
      message: 'An identifier is 1 to 100 characters: lowercase letters, digits, "-", "_" and "/".',
    });
  }
  if (input.title.trim() === '')
    errors.push({ code: 'REQUIRED', field: 'input.title', message: 'A title is required.' });
  if (input.title.length > 255)
    errors.push({
      code: 'INVALID',
      field: 'input.title',
      message: 'A title has at most 255 characters.',
    });
  if (input.content.length > MAX_CONTENT) {
    errors.push({
      code: 'INVALID',
      field: 'input.content',
      message: 'The content is larger than 2 MiB.',
    });
  }
  if ((input.metaTitle?.length ?? 0) > 255) {
    errors.push({
      code: 'INVALID',
      field: 'input.metaTitle',
      message: 'A meta title has at most 255 characters.',
    });
  }
  for (const field of ['title', 'content', 'metaTitle', 'metaDescription'] as const) {
    if (hasLoneSurrogate(input[field])) {
      errors.push({ code: 'INVALID', field: `input.${field}`, message: INVALID_UNICODE_MESSAGE });
    }
  }
  return errors;
}

/** CMS pages and blocks; `activeOnly` is set for anonymous callers. */
export function createCmsService(db: Database, pager: Pager) {
  const list =
    <T extends typeof cmsPages | typeof cmsBlocks>(table: T) =>
    (args: PageArgs, activeOnly: boolean): Promise<Page<T['$inferSelect']>> =>
      pager.idPage(
        args,
        (afterId, limit) => listCmsItems(db, table, { afterId: afterId ?? 0, limit, activeOnly }),
        () => countCmsItems(db, table, activeOnly),
      );
  return {
    listPages: list(cmsPages),
    listBlocks: list(cmsBlocks),
    findPage: (identifier: string, activeOnly: boolean) =>
      findCmsItem(db, cmsPages, identifier, activeOnly),
    findBlock: (identifier: string, activeOnly: boolean) =>
      findCmsItem(db, cmsBlocks, identifier, activeOnly),

    /** Creates the page or replaces the one with the same identifier. */
    async savePage(
      input: CmsPageInput,
    ): Promise<Outcome<{ page: CmsPageRow | null }, CmsErrorCode>> {
      const errors = validatePage(input);
      if (errors.length > 0) return refused({ page: null }, ...errors);
      await upsertCmsPage(db, {
        identifier: input.identifier,
        title: input.title.trim(),
        content: input.content,
        isActive: input.isActive ?? true,
        metaTitle: input.metaTitle ?? null,
        metaDescription: input.metaDescription ?? null,
      });
      return { page: await findCmsItem(db, cmsPages, input.identifier, false), errors: [] };
    },
  };
}

export type CmsService = ReturnType<typeof createCmsService>;
