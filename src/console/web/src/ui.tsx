import { type ReactNode, useEffect, useRef } from 'react';
import { FieldError, Input, Label, Text, TextField } from 'react-aria-components';
import { TopLevelError } from './api.ts';

/** Sentences for the top-level errors an admin can meet, with the wait when there is one. */
export function describeError(error: unknown): string {
  if (!(error instanceof TopLevelError)) return 'The gateway could not be reached. Try again.';
  switch (error.code) {
    case 'REAUTHENTICATION_FAILED':
      return 'That is not your password. Six wrong passwords within 30 minutes lock your account for 30 minutes.';
    case 'ACCOUNT_LOCKED':
      return 'Your account is locked after six wrong passwords within 30 minutes. It unlocks by itself 30 minutes after it was locked; an operator can unlock it sooner with npm run admin:unlock.';
    case 'RATE_LIMITED':
      return `Too many attempts from your address. Wait ${error.retryAfter ?? 60} seconds, then try again.`;
    case 'UNAUTHENTICATED':
      return error.message;
    default:
      return error.message;
  }
}

export function Notice(props: {
  tone: 'info' | 'warning' | 'error' | 'success';
  children: ReactNode;
}) {
  return (
    <div
      className={`notice notice-${props.tone}`}
      role={props.tone === 'error' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

export function PasswordField(props: {
  value: string;
  onChange(value: string): void;
  error?: string | undefined;
  label?: string;
  autoFocus?: boolean;
  description?: string;
}) {
  return (
    <TextField
      className="field"
      type="password"
      name="currentPassword"
      autoComplete="current-password"
      isRequired
      value={props.value}
      onChange={props.onChange}
      isInvalid={!!props.error}
      autoFocus={props.autoFocus ?? false}
    >
      <Label>{props.label ?? 'Your Password'}</Label>
      <Input />
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.error}</FieldError>
    </TextField>
  );
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => saved.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
