import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Cell,
  Column,
  Input,
  Label,
  Row,
  SearchField,
  type SortDescriptor,
  Table,
  TableBody,
  TableHeader,
} from 'react-aria-components';
import { request } from './api.ts';
import { IntegrationQuery, type IntegrationRow, IntegrationsQuery } from './documents.ts';
import type { ResultOf } from './graphql.ts';
import { IntegrationActions, type RowAction } from './IntegrationActions.tsx';
import { href, takeActivation, takeMessage } from './routes.ts';
import { describeError, formatTime, Notice, useInterval } from './ui.tsx';

type Page = ResultOf<typeof IntegrationsQuery>['integrations'];

const PAGE_SIZE = 20;
const STATUS_LABELS = { ACTIVE: 'Active', INACTIVE: 'Inactive', RESET: 'Reset' } as const;
const SORT_FIELDS = { name: 'NAME', status: 'STATUS', createdAt: 'CREATED_AT' } as const;
type StatusFilter = '' | keyof typeof STATUS_LABELS;

/** INACTIVE with credentials posted and not refused: the third party has to finish the exchange. */
const isWaiting = (row: IntegrationRow) =>
  row.status === 'INACTIVE' &&
  (row.callbackDelivery?.status === 'DELIVERED' || row.callbackDelivery?.status === 'PENDING');

function StatusCell({ row }: { row: IntegrationRow }) {
  if (isWaiting(row))
    return <span className="status status-waiting">Waiting for the third party</span>;
  return (
    <span className={`status status-${row.status.toLowerCase()}`}>{STATUS_LABELS[row.status]}</span>
  );
}

export default function IntegrationsPage() {
  const [nameFilter, setNameFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState<StatusFilter>('');
  const [sort, setSort] = useState<SortDescriptor>({ column: 'createdAt', direction: 'ascending' });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const [flash, setFlash] = useState<string | undefined>(takeMessage);
  const [action, setAction] = useState<RowAction | null>(null);
  const after = cursors[cursors.length - 1] ?? null;

  const load = useCallback(async () => {
    try {
      const field = SORT_FIELDS[sort.column as keyof typeof SORT_FIELDS] ?? 'CREATED_AT';
      const { integrations } = await request(IntegrationsQuery, {
        first: PAGE_SIZE,
        after,
        filter: {
          ...(nameFilter ? { nameContains: nameFilter } : {}),
          ...(statusFilter ? { status: statusFilter } : {}),
        },
        orderBy: { field, direction: sort.direction === 'descending' ? 'DESC' : 'ASC' },
      });
      setPage(integrations);
      setError(undefined);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [after, nameFilter, statusFilter, sort]);

  useEffect(() => {
    void load();
  }, [load]);
  // "Save & Activate" on the New Integration page: the activation follows the save.
  useEffect(() => {
    const id = takeActivation();
    if (!id) return;
    request(IntegrationQuery, { id })
      .then(({ integration }) => integration && setAction({ kind: 'activate', row: integration }))
      .catch((caught) => setError(describeError(caught)));
  }, []);
  // While a token exchange is under way, the grid follows it until the integration is Active.
  useInterval(load, 2000, !!page?.nodes.some(isWaiting));

  const restart = () => setCursors([null]);
  const failed = page?.nodes.filter((row) => row.callbackDelivery?.status === 'FAILED') ?? [];

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Integrations</h1>
        <a className="button primary" href={href.newIntegration}>
          Add New Integration
        </a>
      </div>
      {flash ? <Notice tone="success">{flash}</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {page && page.insecureCount > 0 ? (
        <Notice tone="warning">
          Warning! Integrations not using HTTPS are insecure and potentially expose private or
          personally identifiable information. ({page.insecureCount} not secure)
        </Notice>
      ) : null}
      {page && page.configDrift.length > 0 ? (
        <Notice tone="warning">
          Declared in configuration but no longer in the declaration file (left in place; remove
          them deliberately):{' '}
          {page.configDrift
            .map((drift) => `${drift.name} (${STATUS_LABELS[drift.status]})`)
            .join(', ')}
          .
        </Notice>
      ) : null}
      {failed.length > 0 ? (
        <Notice tone="error">
          Callback delivery failed for {failed.map((row) => row.name).join(', ')}: the credentials
          did not reach the callback URL. Use Retry in the row to post them again.
        </Notice>
      ) : null}

      <search className="filters">
        <SearchField
          className="field"
          value={nameFilter}
          onChange={(value) => {
            setNameFilter(value);
            restart();
          }}
        >
          <Label>Filter by name</Label>
          <Input />
        </SearchField>
        <div className="field">
          <label htmlFor="status-filter">Status</label>
          <select
            id="status-filter"
            value={statusFilter}
            onChange={(event) => {
              setStatusFilter(event.target.value as StatusFilter);
              restart();
            }}
          >
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="INACTIVE">Inactive</option>
            <option value="RESET">Reset</option>
          </select>
        </div>
      </search>

      <Table
        aria-label="Integrations"
        className="grid"
        sortDescriptor={sort}
        onSortChange={(next) => {
          setSort(next);
          restart();
        }}
      >
        <TableHeader>
          <Column id="name" isRowHeader allowsSorting>
            Name
          </Column>
          <Column id="email">Email</Column>
          <Column id="status" allowsSorting>
            Status
          </Column>
          <Column id="setupType">Setup type</Column>
          <Column id="lastUsed">Last used</Column>
          <Column id="createdAt" allowsSorting>
            Created
          </Column>
          <Column id="actions">Actions</Column>
        </TableHeader>
        <TableBody
          items={page?.nodes ?? []}
          renderEmptyState={() => (page ? 'No Integrations Found' : 'Loading…')}
        >
          {(row) => (
            <Row id={row.id} className="grid-row">
              <Cell>
                <span className="name">{row.name}</span>
                {row.isSecure ? null : (
                  <span className="security-notice">Integration not secure</span>
                )}
                {row.callbackDelivery?.status === 'FAILED' ? (
                  <span className="delivery-failed">
                    Callback failed after {row.callbackDelivery.attempts} attempt
                    {row.callbackDelivery.attempts === 1 ? '' : 's'}
                    {row.callbackDelivery.lastError ? `: ${row.callbackDelivery.lastError}` : ''}
                  </span>
                ) : null}
              </Cell>
              <Cell>{row.email ?? ''}</Cell>
              <Cell>
                <StatusCell row={row} />
              </Cell>
              <Cell>{row.setupType === 'CONFIG' ? 'Config' : 'Manual'}</Cell>
              <Cell>{formatTime(row.lastUsedAt)}</Cell>
              <Cell>{formatTime(row.createdAt)}</Cell>
              <Cell>
                <div className="row-actions">
                  <Button
                    className="link-button"
                    onPress={() =>
                      setAction({ kind: row.status === 'ACTIVE' ? 'reauthorize' : 'activate', row })
                    }
                  >
                    {row.status === 'ACTIVE' ? 'Reauthorize' : 'Activate'}
                  </Button>
                  {row.callbackDelivery?.status === 'FAILED' ? (
                    <Button
                      className="link-button"
                      onPress={() => setAction({ kind: 'retry', row })}
                    >
                      Retry
                    </Button>
                  ) : null}
                  <a className="link-button" href={href.edit(row.id)}>
                    {row.setupType === 'CONFIG' ? 'View' : 'Edit'}
                  </a>
                  <Button
                    className="link-button"
                    onPress={() => setAction({ kind: 'reveal', row })}
                  >
                    Credentials
                  </Button>
                  <Button
                    className="icon-button"
                    aria-label={
                      row.setupType === 'CONFIG'
                        ? `Delete ${row.name} (declared in configuration: remove it there)`
                        : `Delete ${row.name}`
                    }
                    isDisabled={row.setupType === 'CONFIG'}
                    onPress={() => setAction({ kind: 'delete', row })}
                  >
                    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
                      <path
                        fill="currentColor"
                        d="M6 1h4l1 1h3v2H2V2h3l1-1zM3 5h10l-1 10H4L3 5zm3 2v6h1V7H6zm3 0v6h1V7H9z"
                      />
                    </svg>
                  </Button>
                </div>
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>

      <nav className="pager" aria-label="Pages">
        <span>
          {page ? `${page.totalCount} integration${page.totalCount === 1 ? '' : 's'}` : ''}
        </span>
        <Button
          className="button"
          isDisabled={cursors.length <= 1}
          onPress={() => setCursors((stack) => stack.slice(0, -1))}
        >
          Previous page
        </Button>
        <Button
          className="button"
          isDisabled={!page?.pageInfo.hasNextPage}
          onPress={() => setCursors((stack) => [...stack, page?.pageInfo.endCursor ?? null])}
        >
          Next page
        </Button>
      </nav>

      {action ? (
        <IntegrationActions
          action={action}
          onClose={(message) => {
            setAction(null);
            if (message) setFlash(message);
            void load();
          }}
        />
      ) : null}
    </section>
  );
}
