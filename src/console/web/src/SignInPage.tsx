import { useEffect, useState } from 'react';
import { Button, FieldError, Form, Heading, Input, Label, TextField } from 'react-aria-components';
import { errorsByField, request, TopLevelError } from './api.ts';
import { SignIn } from './documents.ts';
import { describeError, Notice, PasswordField } from './ui.tsx';

const REASONS = {
  expired: 'Your session ended. Sign in again.',
  locked:
    'You were signed out: your account is locked after six wrong passwords within 30 minutes. It unlocks by itself 30 minutes after it was locked; an operator can unlock it sooner with npm run admin:unlock.',
  signedOut: 'You are signed out.',
};

export function SignInPage(props: {
  reason?: keyof typeof REASONS | undefined;
  onSignedIn(viewer: { id: string; username: string }): void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [waitSeconds, setWaitSeconds] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = setTimeout(() => setWaitSeconds((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [waitSeconds]);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      const { adminLogin } = await request(
        SignIn,
        { input: { username, password, cookie: true } },
        { signIn: true },
      );
      if (adminLogin.admin) props.onSignedIn(adminLogin.admin);
      else setFields(errorsByField(adminLogin.errors));
    } catch (caught) {
      if (caught instanceof TopLevelError && caught.code === 'RATE_LIMITED')
        setWaitSeconds(caught.retryAfter ?? 60);
      setError(describeError(caught));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="content">
      <Form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <Heading level={1} id="signin-title">
          Sign in to the Integrations console
        </Heading>
        {props.reason ? (
          <Notice tone={props.reason === 'locked' ? 'error' : 'info'}>
            {REASONS[props.reason]}
          </Notice>
        ) : null}
        <TextField
          className="field"
          name="username"
          autoComplete="username"
          isRequired
          value={username}
          onChange={setUsername}
          isInvalid={!!fields.username}
          autoFocus
        >
          <Label>Username</Label>
          <Input />
          <FieldError>{fields.username}</FieldError>
        </TextField>
        <PasswordField
          label="Password"
          value={password}
          onChange={setPassword}
          error={fields.password}
        />
        {error ? <Notice tone="error">{error}</Notice> : null}
        {waitSeconds > 0 ? (
          <p className="wait" aria-live="polite">
            You can try again in {waitSeconds} s.
          </p>
        ) : null}
        <Button type="submit" className="button primary" isDisabled={busy || waitSeconds > 0}>
          Sign in
        </Button>
      </Form>
    </main>
  );
}
