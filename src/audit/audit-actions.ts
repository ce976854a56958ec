/** Every audited action; stored as-is in audit_log.action and exposed as the AuditAction enum. */
export const AUDIT_ACTIONS = {
  INTEGRATION_CREATED: 'An integration was created.',
  INTEGRATION_UPDATED: 'An integration was changed.',
  INTEGRATION_DELETED: 'An integration was deleted with its credentials.',
  INTEGRATION_ACTIVATED: 'An integration was activated and issued an access token.',
  INTEGRATION_REAUTHORIZED: "An integration's access token was rotated.",
  INTEGRATION_EXCHANGE_STARTED:
    "Credentials were posted to an integration's callback URL to start the OAuth token exchange.",
  INTEGRATION_CALLBACK_FAILED: "Posting credentials to an integration's callback URL failed.",
  INTEGRATION_CREDENTIALS_REVEALED: "An admin displayed an integration's credentials again.",
  INTEGRATION_RESET:
    'A configuration-declared integration changed: it was updated, its tokens revoked, and it must be activated again.',
  SECURITY_SETTINGS_UPDATED: 'The security settings were changed.',
  ADMIN_REAUTHENTICATION_FAILED: 'An admin gave a wrong current password for a sensitive change.',
  ADMIN_LOCKED: 'An admin account was locked after repeated password failures.',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
