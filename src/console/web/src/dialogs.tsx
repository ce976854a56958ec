import { type ReactNode, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { TopLevelError } from './api.ts';
import { describeError, Notice, PasswordField } from './ui.tsx';

/**
 * A modal dialog that asks for the admin's password before a change. `onConfirm` runs the
 * mutation: a wrong password is shown on the password field, other refusals above the buttons.
 */
export function PasswordDialog(props: {
  title: string;
  confirmLabel: string;
  children?: ReactNode;
  destructive?: boolean;
  onCancel(): void;
  /** Returns a refusal to show, or null when done. */
  onConfirm(password: string): Promise<string | null>;
}) {
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldError(undefined);
    try {
      const refusal = await props.onConfirm(password);
      if (refusal) setError(refusal);
    } catch (caught) {
      if (caught instanceof TopLevelError && caught.code === 'REAUTHENTICATION_FAILED')
        setFieldError(describeError(caught));
      else setError(describeError(caught));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };
  return (
    <ModalOverlay
      className="overlay"
      isOpen
      isDismissable={!busy}
      onOpenChange={(open) => !open && props.onCancel()}
    >
      <Modal className="modal">
        <Dialog className="dialog" role="alertdialog">
          <form onSubmit={submit}>
            <Heading slot="title">{props.title}</Heading>
            {props.children}
            <PasswordField value={password} onChange={setPassword} error={fieldError} autoFocus />
            {error ? <Notice tone="error">{error}</Notice> : null}
            <div className="actions">
              <Button type="button" className="button" onPress={props.onCancel} isDisabled={busy}>
                Cancel
              </Button>
              <Button
                type="submit"
                className={props.destructive ? 'button danger' : 'button primary'}
                isDisabled={busy || password === ''}
              >
                {props.confirmLabel}
              </Button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string | null;
  accessTokenSecret: string | null;
}

const CREDENTIAL_LABELS: [keyof Credentials, string][] = [
  ['consumerKey', 'Consumer Key'],
  ['consumerSecret', 'Consumer Secret'],
  ['accessToken', 'Access Token'],
  ['accessTokenSecret', 'Access Token Secret'],
];

function CopyableValue(props: { label: string; value: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const id = `credential-${props.label.replaceAll(' ', '-').toLowerCase()}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="credential">
      <label htmlFor={id}>{props.label}</label>
      <div className="credential-row">
        <input id={id} className="mono" readOnly value={props.value} spellCheck={false} />
        <Button className="button" onPress={copy} aria-label={`Copy ${props.label}`}>
          Copy
        </Button>
        <span className="copied" aria-live="polite">
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy by hand' : ''}
        </span>
      </div>
    </div>
  );
}

/** The reference's "Integration Tokens for Extensions" dialog: four credentials, copy, Done. */
export function CredentialsDialog(props: {
  message: string;
  credentials: Credentials;
  onDone(): void;
}) {
  return (
    <ModalOverlay className="overlay" isOpen>
      <Modal className="modal wide">
        <Dialog className="dialog" aria-labelledby="tokens-title">
          <Heading slot="title" id="tokens-title">
            Integration Tokens for Extensions
          </Heading>
          <Notice tone="success">{props.message}</Notice>
          <p>
            Copy these credentials into the integration now and keep them somewhere safe and
            encrypted (a secrets manager or an encrypted password store). Anyone who holds them can
            call the API as this integration.
          </p>
          {CREDENTIAL_LABELS.map(([key, label]) => {
            const value = props.credentials[key];
            return value ? <CopyableValue key={key} label={label} value={value} /> : null;
          })}
          <div className="actions">
            <Button className="button primary" onPress={props.onDone} autoFocus>
              Done
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
