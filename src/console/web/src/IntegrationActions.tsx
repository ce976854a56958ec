import { useEffect, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { request } from './api.ts';
import { type Credentials, CredentialsDialog, PasswordDialog } from './dialogs.tsx';
import {
  AclTreeQuery,
  IntegrationActivate,
  IntegrationCallbackRetry,
  IntegrationCredentialsReveal,
  IntegrationDelete,
  IntegrationReauthorize,
  type IntegrationRow,
} from './documents.ts';
import { Notice } from './ui.tsx';

export type RowAction = {
  kind: 'activate' | 'reauthorize' | 'retry' | 'reveal' | 'delete';
  row: IntegrationRow;
};

/** What the integration will be able to use, in the words of the resource tree. */
function GrantedResources({ row }: { row: IntegrationRow }) {
  const [titles, setTitles] = useState<Map<string, string>>();
  useEffect(() => {
    if (row.resourceAccess === 'ALL') return;
    request(AclTreeQuery, {})
      .then(({ aclResourcesFlat }) =>
        setTitles(new Map(aclResourcesFlat.map((node) => [node.id, node.title]))),
      )
      .catch(() => setTitles(new Map()));
  }, [row.resourceAccess]);
  if (row.resourceAccess === 'ALL') return <p className="resources">All resources</p>;
  if (row.resources.length === 0) return <p>No permissions requested.</p>;
  return (
    <ul className="resources" aria-label="Requested resources">
      {row.resources.map((id) => (
        <li key={id}>
          {titles?.get(id) ?? id} <span className="mono muted">{id}</span>
        </li>
      ))}
    </ul>
  );
}

type Outcome =
  | { kind: 'credentials'; message: string; credentials: Credentials }
  | { kind: 'exchange'; message: string; identityLinkUrl: string };

const firstError = (errors: readonly { message: string }[]) => errors[0]?.message ?? null;

/**
 * The dialogs behind a row's buttons: the permissions dialog with Allow (activate, reauthorize),
 * then the tokens dialog or the token exchange; Retry of a failed callback; Reveal credentials;
 * Delete with its confirmation. Every one asks for the admin's password.
 */
export function IntegrationActions(props: { action: RowAction; onClose(message?: string): void }) {
  const { kind, row } = props.action;
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const afterActivation = (
    payload: {
      credentials: Credentials | null;
      tokenExchange: { identityLinkUrl: string } | null;
      errors: readonly { message: string }[];
    },
    done: string,
    sent: string,
  ): string | null => {
    const refusal = firstError(payload.errors);
    if (refusal) return refusal;
    if (payload.credentials) {
      setOutcome({ kind: 'credentials', message: done, credentials: payload.credentials });
    } else if (payload.tokenExchange) {
      const url = payload.tokenExchange.identityLinkUrl;
      // noopener: the third party's page gets no handle on the console.
      window.open(url, '_blank', 'noopener,noreferrer');
      setOutcome({ kind: 'exchange', message: sent, identityLinkUrl: url });
    }
    return null;
  };

  if (outcome?.kind === 'credentials')
    return (
      <CredentialsDialog
        message={outcome.message}
        credentials={outcome.credentials}
        onDone={() => props.onClose(outcome.message)}
      />
    );
  if (outcome?.kind === 'exchange') {
    return (
      <ExchangeStarted
        message={outcome.message}
        url={outcome.identityLinkUrl}
        onClose={() => props.onClose(outcome.message)}
      />
    );
  }

  switch (kind) {
    case 'activate':
    case 'reauthorize': {
      const reauthorize = kind === 'reauthorize';
      return (
        <PasswordDialog
          title={`${reauthorize ? 'Reauthorize' : 'Activate'} "${row.name}"`}
          confirmLabel={reauthorize ? 'Reauthorize' : 'Allow'}
          onCancel={() => props.onClose()}
          onConfirm={async (currentPassword) => {
            const variables = { id: row.id, currentPassword };
            const payload = reauthorize
              ? (await request(IntegrationReauthorize, variables)).integrationReauthorize
              : (await request(IntegrationActivate, variables)).integrationActivate;
            return afterActivation(
              payload,
              `The integration '${row.name}' has been ${reauthorize ? 're-authorized' : 'activated'}.`,
              `Integration '${row.name}' has been sent for ${reauthorize ? 're-authorization' : 'activation'}.`,
            );
          }}
        >
          <p>The integration you selected asks you to approve access to the following:</p>
          <GrantedResources row={row} />
          {reauthorize ? (
            <p>
              Reauthorizing issues a new access token and secret; the current ones stop working at
              once.
            </p>
          ) : null}
        </PasswordDialog>
      );
    }
    case 'retry':
      return (
        <PasswordDialog
          title={`Retry the callback of "${row.name}"`}
          confirmLabel="Retry"
          onCancel={() => props.onClose()}
          onConfirm={async (currentPassword) => {
            const { integrationCallbackRetry } = await request(IntegrationCallbackRetry, {
              id: row.id,
              currentPassword,
            });
            return afterActivation(
              integrationCallbackRetry,
              `The integration '${row.name}' has been activated.`,
              `Integration '${row.name}' has been sent for activation again.`,
            );
          }}
        >
          <p>
            The credentials are posted to {row.callbackUrl ?? 'the callback URL'} again with a new
            verifier. Last error: {row.callbackDelivery?.lastError ?? 'unknown'}.
          </p>
        </PasswordDialog>
      );
    case 'reveal':
      return (
        <PasswordDialog
          title={`Credentials of "${row.name}"`}
          confirmLabel="Show credentials"
          onCancel={() => props.onClose()}
          onConfirm={async (currentPassword) => {
            const { integrationCredentialsReveal: payload } = await request(
              IntegrationCredentialsReveal,
              { id: row.id, currentPassword },
            );
            const refusal = firstError(payload.errors);
            if (refusal) return refusal;
            if (payload.credentials)
              setOutcome({
                kind: 'credentials',
                message: `The current credentials of '${row.name}'.`,
                credentials: payload.credentials,
              });
            return null;
          }}
        >
          <p>Showing the credentials again is recorded in the audit log.</p>
        </PasswordDialog>
      );
    case 'delete':
      return (
        <PasswordDialog
          title={`Delete "${row.name}"?`}
          confirmLabel="OK"
          destructive
          onCancel={() => props.onClose()}
          onConfirm={async (currentPassword) => {
            const { integrationDelete } = await request(IntegrationDelete, {
              id: row.id,
              currentPassword,
            });
            const refusal = firstError(integrationDelete.errors);
            if (refusal) return refusal;
            props.onClose(`The integration '${row.name}' has been deleted.`);
            return null;
          }}
        >
          <p>
            Are you sure you want to delete the integration <strong>{row.name}</strong>? Its
            credentials stop working at once; this cannot be undone.
          </p>
        </PasswordDialog>
      );
  }
}

function ExchangeStarted(props: { message: string; url: string; onClose(): void }) {
  return (
    <PasswordlessNotice onClose={props.onClose} title="Token exchange started">
      <Notice tone="info">{props.message}</Notice>
      <p>
        Please set up or sign in to your third-party account in the window that opened to complete
        setup of this integration. The grid shows the integration as waiting for the third party
        until it finishes, then Active.
      </p>
      <p>
        No window? Your browser may have blocked it:{' '}
        <a href={props.url} target="_blank" rel="noopener noreferrer">
          open the identity link
        </a>
        .
      </p>
    </PasswordlessNotice>
  );
}

function PasswordlessNotice(props: { title: string; children: React.ReactNode; onClose(): void }) {
  return (
    <ModalOverlay
      className="overlay"
      isOpen
      isDismissable
      onOpenChange={(open) => !open && props.onClose()}
    >
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title">{props.title}</Heading>
          {props.children}
          <div className="actions">
            <Button className="button primary" onPress={props.onClose} autoFocus>
              Close
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
