import { z } from 'zod';
import { isKnownResource, MAX_GRANTED_RESOURCES } from '../acl/acl-index.js';
import { type DomainError, domainError } from '../errors.js';
import { hasDisguisingCharacter, hasLoneSurrogate, INVALID_UNICODE_MESSAGE } from '../text.js';
import type { IntegrationFields, ResourceAccess } from './integration-repository.js';

export type IntegrationErrorCode =
  | 'REQUIRED'
  | 'INVALID'
  | 'UNIQUE'
  | 'NOT_FOUND'
  | 'INVALID_STATUS'
  | 'NOT_EDITABLE'
  | 'NOT_DELETABLE'
  | 'CALLBACK_FAILED';
export type IntegrationError = DomainError<IntegrationErrorCode>;

export const integrationNotFound = (id: number): IntegrationError =>
  domainError('NOT_FOUND', `The integration with ID "${id}" doesn't exist.`, 'id');

/** Fields an admin sets on create or update; on update, absent (undefined) means "keep". */
export interface IntegrationFieldsInput {
  name?: string | null;
  email?: string | null;
  callbackUrl?: string | null;
  identityLinkUrl?: string | null;
  resourceAccess?: ResourceAccess | null;
  resources?: string[] | null;
}

const emailSchema = z.email().max(254);

const MAX_URL_LENGTH = 255;
/**
 * `http(s)://` and a non-empty authority without user info. WHATWG URL parsing alone would read
 * `https:///cb` and `https:cb` as host `cb`, and Node's HTTP client sends user info as Basic
 * credentials.
 */
const HTTP_URL_START = /^https?:\/\/[^/?#\\@]+(?:[/?#]|$)/i;

/**
 * The URL as stored: normalised by WHATWG URL (lowercase scheme and host, no default port, path
 * percent-encoded). Null when it is not an acceptable callback or identity link URL; whitespace
 * and control characters anywhere are refused, not stripped as the URL parser would.
 */
function normalisedHttpUrl(value: string): string | null {
  const refused =
    value.length > MAX_URL_LENGTH ||
    /\s/.test(value) ||
    hasDisguisingCharacter(value) ||
    !HTTP_URL_START.test(value);
  if (refused) return null;
  try {
    const { href } = new URL(value);
    return href.length <= MAX_URL_LENGTH ? href : null;
  } catch {
    return null;
  }
}

/** Empty strings clear optional fields. */
const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim();

/**
 * Merges the input over the current values (none on create) and validates the result, reporting
 * every problem at once. Returns the values to store, or the errors.
 */
export function resolveIntegrationFields(
  input: IntegrationFieldsInput,
  current: IntegrationFields | null,
): { fields: IntegrationFields; errors: IntegrationError[] } {
  const errors: IntegrationError[] = [];
  // One error per field: the first problem found is the one to fix.
  const fail = (code: IntegrationErrorCode, field: string, message: string) => {
    if (!errors.some((error) => error.field === `input.${field}`)) {
      errors.push({ code, field: `input.${field}`, message });
    }
  };

  for (const field of ['name', 'email', 'callbackUrl', 'identityLinkUrl'] as const) {
    if (hasLoneSurrogate(input[field])) fail('INVALID', field, INVALID_UNICODE_MESSAGE);
  }

  const name = input.name === undefined || input.name === null ? current?.name : input.name.trim();
  if (!name) fail('REQUIRED', 'name', '"name" is required. Enter and try again.');
  else if (name.length > 255) fail('INVALID', 'name', 'The name has at most 255 characters.');
  else if (hasDisguisingCharacter(name)) {
    fail(
      'INVALID',
      'name',
      'A name cannot contain control characters or bidirectional formatting characters.',
    );
  }

  const email = blankToNull(input.email);
  if (email && !emailSchema.safeParse(email).success) {
    fail('INVALID', 'email', 'Enter a valid email address of at most 254 characters.');
  }
  const url = (field: 'callbackUrl' | 'identityLinkUrl') => {
    const given = input[field];
    if (!given?.trim()) return blankToNull(given);
    const normalised = normalisedHttpUrl(given);
    if (normalised === null) {
      fail(
        'INVALID',
        field,
        'Enter an absolute http: or https: URL of at most 255 characters, with a host and ' +
          'without user name, password, spaces or control characters.',
      );
    }
    return normalised;
  };
  const callbackUrl = url('callbackUrl');
  const identityLinkUrl = url('identityLinkUrl');

  const resourceAccess = input.resourceAccess ?? current?.resourceAccess ?? 'CUSTOM';
  const requested =
    input.resources ?? (resourceAccess === current?.resourceAccess ? current.resources : []);
  const resources = resourceAccess === 'ALL' ? [] : [...new Set(requested)];
  if (resourceAccess === 'CUSTOM') {
    if (resources.length === 0) {
      fail('REQUIRED', 'resources', 'Select at least one resource, or choose resource access ALL.');
    } else if (resources.length > MAX_GRANTED_RESOURCES) {
      fail('INVALID', 'resources', `Select at most ${MAX_GRANTED_RESOURCES} resources.`);
    } else {
      const unknown = resources.filter((id) => !isKnownResource(id));
      if (unknown.length > 0) {
        fail('INVALID', 'resources', `Unknown ACL resources: ${unknown.slice(0, 10).join(', ')}.`);
      }
    }
  }

  return {
    fields: {
      name: name ?? '',
      email: pick(email, current?.email),
      callbackUrl: pick(callbackUrl, current?.callbackUrl),
      identityLinkUrl: pick(identityLinkUrl, current?.identityLinkUrl),
      resourceAccess,
      resources,
    },
    errors,
  };
}

const pick = (given: string | null | undefined, current: string | null | undefined) =>
  given === undefined ? (current ?? null) : given;

/** The reference's "Integration not secure": a plain-http callback or identity link URL. */
export function isSecure(urls: {
  callbackUrl: string | null;
  identityLinkUrl: string | null;
}): boolean {
  return ![urls.callbackUrl, urls.identityLinkUrl].some((url) =>
    url?.toLowerCase().startsWith('http:'),
  );
}

/** Both URLs set means activation goes through the OAuth token exchange. */
export function usesTokenExchange(urls: {
  callbackUrl: string | null;
  identityLinkUrl: string | null;
}): boolean {
  return Boolean(urls.callbackUrl && urls.identityLinkUrl);
}
