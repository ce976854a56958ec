import { useCallback, useEffect, useState } from 'react';
import { Button, Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { request } from './api.ts';
import { AuditLogQuery } from './documents.ts';
import type { ResultOf, VariablesOf } from './graphql.ts';
import { describeError, formatTime, Notice } from './ui.tsx';

type Page = ResultOf<typeof AuditLogQuery>['auditLog'];
type Action = NonNullable<NonNullable<VariablesOf<typeof AuditLogQuery>['filter']>['action']>;

const ACTIONS: Record<Action, string> = {
  ADMIN_LOCKED: 'Admin locked',
  ADMIN_REAUTHENTICATION_FAILED: 'Wrong password for a change',
  INTEGRATION_ACTIVATED: 'Integration activated',
  INTEGRATION_CALLBACK_FAILED: 'Callback failed',
  INTEGRATION_CREATED: 'Integration created',
  INTEGRATION_CREDENTIALS_REVEALED: 'Credentials shown',
  INTEGRATION_DELETED: 'Integration deleted',
  INTEGRATION_EXCHANGE_STARTED: 'Token exchange started',
  INTEGRATION_REAUTHORIZED: 'Integration reauthorized',
  INTEGRATION_RESET: 'Integration reset',
  INTEGRATION_UPDATED: 'Integration updated',
  SECURITY_SETTINGS_UPDATED: 'Security settings changed',
};
const PAGE_SIZE = 25;

/** The control-plane trail, newest first; filtered by action and integration, paged. */
export default function AuditPage() {
  const [action, setAction] = useState<Action | ''>('');
  const [integrationId, setIntegrationId] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const after = cursors[cursors.length - 1] ?? null;

  const load = useCallback(async () => {
    try {
      const { auditLog } = await request(AuditLogQuery, {
        first: PAGE_SIZE,
        after,
        filter: {
          ...(action ? { action } : {}),
          ...(integrationId.trim() ? { integrationId: integrationId.trim() } : {}),
        },
      });
      setPage(auditLog);
      setError(undefined);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [after, action, integrationId]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Audit Log</h1>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <search className="filters">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            value={action}
            onChange={(event) => {
              setAction(event.target.value as Action | '');
              setCursors([null]);
            }}
          >
            <option value="">Any</option>
            {Object.entries(ACTIONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-integration">Integration ID</label>
          <input
            id="audit-integration"
            inputMode="numeric"
            value={integrationId}
            onChange={(event) => {
              setIntegrationId(event.target.value);
              setCursors([null]);
            }}
          />
        </div>
      </search>
      <Table aria-label="Audit log" className="grid">
        <TableHeader>
          <Column isRowHeader>When</Column>
          <Column>Action</Column>
          <Column>Admin</Column>
          <Column>Integration</Column>
          <Column>Client address</Column>
          <Column>Details</Column>
        </TableHeader>
        <TableBody
          items={page?.nodes ?? []}
          renderEmptyState={() => (page ? 'No entries' : 'Loading…')}
        >
          {(entry) => (
            <Row id={entry.id}>
              <Cell>{formatTime(entry.occurredAt)}</Cell>
              <Cell>{ACTIONS[entry.action]}</Cell>
              <Cell>{entry.adminUsername ?? ''}</Cell>
              <Cell>
                {entry.integrationName ?? ''}
                {entry.integrationId ? (
                  <span className="muted"> #{entry.integrationId}</span>
                ) : null}
              </Cell>
              <Cell>{entry.clientIp ?? ''}</Cell>
              <Cell>
                <span className="mono details">{entry.details ?? ''}</span>
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>
      <nav className="pager" aria-label="Pages">
        <span>{page ? `${page.totalCount} entries` : ''}</span>
        <Button
          className="button"
          isDisabled={cursors.length <= 1}
          onPress={() => setCursors((s) => s.slice(0, -1))}
        >
          Newer
        </Button>
        <Button
          className="button"
          isDisabled={!page?.pageInfo.hasNextPage}
          onPress={() => setCursors((s) => [...s, page?.pageInfo.endCursor ?? null])}
        >
          Older
        </Button>
      </nav>
    </section>
  );
}
