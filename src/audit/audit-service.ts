import type { Database } from '../db/client.js';
import type { Page, PageArgs, Pager } from '../db/page.js';
import { type AuditFilter, type AuditRow, countAudit, listAudit } from './audit-repository.js';

export function createAuditService(db: Database, pager: Pager) {
  return {
    /** Newest first. */
    list(args: PageArgs & { filter: AuditFilter }): Promise<Page<AuditRow>> {
      return pager.idPage(
        args,
        (beforeId, limit) => listAudit(db, { filter: args.filter, beforeId, limit }),
        () => countAudit(db, args.filter),
      );
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
