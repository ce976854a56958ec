import type { Page } from '../db/page.js';
import { builder } from '../graphql/builder.js';
import { connectionType, pageArgs } from '../graphql/connection.js';
import { integrationId } from '../graphql/ids.js';
import { AUDIT_ACTIONS, type AuditAction } from './audit-actions.js';
import type { AuditRow } from './audit-repository.js';

const AuditActionEnum = builder.enumType('AuditAction', {
  description: 'What an audit entry records.',
  values: Object.fromEntries(
    Object.entries(AUDIT_ACTIONS).map(([action, description]) => [action, { description }]),
  ) as Record<AuditAction, { description: string }>,
});

const AuditEntryType = builder.objectRef<AuditRow>('AuditEntry').implement({
  description: 'One control-plane change or security event. Never contains a secret.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier, increasing with time.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened.' }),
    action: t.field({
      type: AuditActionEnum,
      description: 'What happened.',
      resolve: (row) => row.action as AuditAction,
    }),
    adminId: t.exposeID('adminId', {
      nullable: true,
      description: 'The acting admin, when there was one.',
    }),
    adminUsername: t.exposeString('adminUsername', {
      nullable: true,
      description: 'Username of the acting admin at the time.',
    }),
    integrationId: t.exposeID('integrationId', {
      nullable: true,
      description: 'The integration concerned, if any.',
    }),
    integrationName: t.exposeString('integrationName', {
      nullable: true,
      description: 'Name of the integration at the time (kept after deletion).',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'Request id, as in the logs.',
    }),
    clientIp: t.exposeString('clientIp', {
      nullable: true,
      description: 'Client address of the request.',
    }),
    details: t.string({
      nullable: true,
      description: 'Further non-secret facts as a JSON object text.',
      resolve: (row) => (row.details ? JSON.stringify(row.details) : null),
    }),
  }),
});

const AuditConnection = connectionType<AuditRow, Page<AuditRow>>(
  'AuditEntry',
  AuditEntryType,
  'audit entry',
);

const AuditFilterInput = builder.inputType('AuditLogFilter', {
  description: 'Narrows the audit log.',
  fields: (t) => ({
    integrationId: t.id({ description: 'Only entries about this integration.' }),
    action: t.field({ type: AuditActionEnum, description: 'Only this action.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.field({
    type: AuditConnection,
    description: 'The audit trail of control-plane changes, newest first. Admins only.',
    args: {
      ...pageArgs(t.arg),
      filter: t.arg({ type: AuditFilterInput, description: 'Conditions to match.' }),
    },
    resolve: (_root, { first, after, filter }, ctx) =>
      ctx.services.audit.list({
        first,
        after,
        filter: {
          integrationId: filter?.integrationId == null ? null : integrationId(filter.integrationId),
          action: filter?.action ?? null,
        },
      }),
  }),
);
