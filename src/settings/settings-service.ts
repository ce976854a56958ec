import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { Database } from '../db/client.js';
import { inTransaction } from '../db/transaction.js';
import { domainError, type Outcome, refused } from '../errors.js';
import {
  readSecuritySettings,
  type SecuritySettingsChange,
  type SecuritySettingsView,
  writeSecuritySettings,
} from './settings-repository.js';

export type SecuritySettingsErrorCode = 'REQUIRED';

export function createSettingsService(db: Database) {
  return {
    read: () => readSecuritySettings(db),

    /** Applies the given settings and audits the change in one transaction. */
    async update(
      change: { [K in keyof SecuritySettingsChange]?: boolean | null },
      actor: Actor,
    ): Promise<Outcome<{ settings: SecuritySettingsView | null }, SecuritySettingsErrorCode>> {
      const given = Object.fromEntries(
        Object.entries(change).filter(([, value]) => value !== undefined && value !== null),
      ) as SecuritySettingsChange;
      if (Object.keys(given).length === 0) {
        return refused(
          { settings: null },
          domainError('REQUIRED', 'Give at least one setting to change.', 'input'),
        );
      }
      const settings = await inTransaction(db, async (tx) => {
        await writeSecuritySettings(tx, given, actor.adminId);
        await recordAudit(tx, actor, { action: 'SECURITY_SETTINGS_UPDATED', details: given });
        return readSecuritySettings(tx);
      });
      return { settings, errors: [] };
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
