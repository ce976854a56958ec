import type { Database } from '../db/client.js';
import { idPage, type Page, type PageArgs } from '../graphql/connection.js';
import { type AuditFilter, type AuditRow, countAudit, listAudit } from './audit-repository.js';

export function createAuditService(db: Database) {
  return {
    /** Newest first. */
    list(args: PageArgs & { filter: AuditFilter }): Promise<Page<AuditRow>> {
      return idPage(
        args,
        (beforeId, limit) => listAudit(db, { filter: args.filter, beforeId, limit }),
        () => countAudit(db, args.filter),
      );
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
