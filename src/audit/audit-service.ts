import type { Database } from '../db/client.js';
import {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  type Page,
  pageSize,
} from '../graphql/connection.js';
import { type AuditFilter, type AuditRow, countAudit, listAudit } from './audit-repository.js';

export function createAuditService(db: Database) {
  return {
    async list(args: {
      first?: number | null;
      after?: string | null;
      filter: AuditFilter;
    }): Promise<Page<AuditRow>> {
      const limit = pageSize(args.first);
      let beforeId: number | null = null;
      if (args.after) {
        const [id] = decodeCursor(args.after);
        if (!Number.isSafeInteger(id)) throw invalidCursor();
        beforeId = id as number;
      }
      const rows = await listAudit(db, { filter: args.filter, beforeId, limit: limit + 1 });
      return {
        nodes: rows.slice(0, limit),
        hasNextPage: rows.length > limit,
        cursorOf: (row) => encodeCursor([row.id]),
        totalCount: () => countAudit(db, args.filter),
      };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
