import type { Logger } from '../logging/logger.js';
import type { SyncReport } from './config-sync.js';

export function logSyncReport(logger: Logger, report: SyncReport): void {
  if (report.created.length + report.reset.length > 0) {
    logger.info(
      { created: report.created, reset: report.reset },
      'configuration integrations synced',
    );
  }
  if (report.reset.length > 0) {
    logger.warn(
      { reset: report.reset },
      'One or more integrations have been reset because of a change to their declarations; activate them again.',
    );
  }
  if (report.undeclared.length > 0) {
    logger.warn(
      { undeclared: report.undeclared },
      'CONFIG integrations no longer declared: left in place',
    );
  }
}
