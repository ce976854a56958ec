import { useCallback, useEffect, useState } from 'react';
import { Button, Form, Switch, Text } from 'react-aria-components';
import { errorsByField, request, TopLevelError } from './api.ts';
import { SecuritySettingsQuery, SecuritySettingsUpdate } from './documents.ts';
import type { ResultOf } from './graphql.ts';
import { describeError, formatTime, Notice, PasswordField } from './ui.tsx';

type Settings = ResultOf<typeof SecuritySettingsQuery>['securitySettings'];
type Flag = Exclude<keyof Settings, 'updatedAt' | 'updatedBy'>;

const FLAGS: { key: Flag; label: string; help: string }[] = [
  {
    key: 'allowAnonymousGuestAccess',
    label: 'Allow Anonymous Guest Access',
    help: 'Anonymous callers may read catalog, CMS and store data (enabled products and active pages only).',
  },
  {
    key: 'allowAnonymousIntrospection',
    label: 'Allow Anonymous Introspection',
    help: 'Anonymous callers may read the schema (admins and integrations always may).',
  },
  {
    key: 'allowHmacSha1',
    label: 'Accept HMAC-SHA1 Signatures',
    help: 'Accept OAuth signatures made with HMAC-SHA1 besides HMAC-SHA256. SHA-1 is weaker.',
  },
  {
    key: 'allowIntegrationTokensAsBearer',
    label: 'Allow Integration Tokens as Bearer',
    help: 'Accept an integration access token as Authorization: Bearer without an OAuth signature.',
  },
  {
    key: 'requireBodyHash',
    label: 'Require Body Hash',
    help: 'Signed requests with a non-form body must carry oauth_body_hash, so the signature covers the GraphQL document.',
  },
];

/** Stores > Configuration > Services > Web API > Web API Security Setting, with Save Config. */
export default function SecurityPage() {
  const [saved, setSaved] = useState<Settings>();
  const [draft, setDraft] = useState<Record<Flag, boolean>>();
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const { securitySettings } = await request(SecuritySettingsQuery, {});
    setSaved(securitySettings);
    setDraft(
      Object.fromEntries(FLAGS.map(({ key }) => [key, securitySettings[key]])) as Record<
        Flag,
        boolean
      >,
    );
  }, []);
  useEffect(() => {
    load().catch((caught) => setError(describeError(caught)));
  }, [load]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(undefined);
    setPasswordError(undefined);
    setMessage(undefined);
    try {
      const { securitySettingsUpdate } = await request(SecuritySettingsUpdate, {
        input: { ...draft, currentPassword: password },
      });
      const refusal = Object.values(errorsByField(securitySettingsUpdate.errors))[0];
      if (refusal) setError(refusal);
      else {
        setMessage('You saved the configuration.');
        await load();
      }
    } catch (caught) {
      if (caught instanceof TopLevelError && caught.code === 'REAUTHENTICATION_FAILED')
        setPasswordError(describeError(caught));
      else setError(describeError(caught));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Web API Security</h1>
      </div>
      {message ? <Notice tone="success">{message}</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {saved ? (
        <p className="muted">
          Last changed {saved.updatedBy ? `by ${saved.updatedBy.username}` : ''} on{' '}
          {formatTime(saved.updatedAt)}.
        </p>
      ) : null}
      {draft ? (
        <Form onSubmit={submit} className="settings">
          <fieldset>
            <legend>Web API Security Setting</legend>
            {FLAGS.map(({ key, label, help }) => (
              <div className="setting" key={key}>
                <Switch
                  className="switch"
                  isSelected={draft[key]}
                  onChange={(on) => setDraft({ ...draft, [key]: on })}
                  aria-describedby={`${key}-help`}
                >
                  <span className="track" aria-hidden="true">
                    <span className="thumb" />
                  </span>
                  {label}: {draft[key] ? 'Yes' : 'No'}
                </Switch>
                <Text id={`${key}-help`} className="help">
                  {help}
                </Text>
              </div>
            ))}
          </fieldset>
          <PasswordField value={password} onChange={setPassword} error={passwordError} />
          <div className="actions">
            <Button type="submit" className="button primary" isDisabled={busy || password === ''}>
              Save Config
            </Button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}
