import type { OAuthRefusalReason } from './refusal.js';
import type { Parameter } from './signature.js';

type ParameterLocation = 'header' | 'query' | 'body';

/**
 * Parameters one signed request may carry (header, query and form body together). A signed GET of
 * /graphql needs about a dozen; the cap bounds the sorting and encoding work of a forged request.
 */
export const MAX_SIGNED_PARAMETERS = 100;

type CollectionFailure = {
  ok: false;
  reason: Extract<
    OAuthRefusalReason,
    | 'malformed_header'
    | 'parameters_in_several_locations'
    | 'duplicate_parameter'
    | 'too_many_parameters'
  >;
  message: string;
};

export type CollectedParameters =
  | {
      ok: true;
      protocol: ReadonlyMap<string, string>;
      signed: Parameter[];
      location: ParameterLocation | null;
    }
  | CollectionFailure;

type HeaderParseResult =
  | { ok: true; params: Parameter[] }
  | { ok: false; reason: 'malformed_header'; message: string };

const AUTH_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)([ \t]*)/;
// realm is an RFC 2617 quoted-string; every other value is §3.6-encoded, checked after matching.
const AUTH_PARAM = /([A-Za-z0-9\-._~%]+)="((?:[^"\\]|\\.)*)"/y;
const LIST_SEPARATOR = /[ \t]*,[ \t]*/y;
const TRAILING_WHITESPACE = /[ \t]*$/y;
const PERCENT_ENCODED = /^(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})*$/;

const MALFORMED_LIST = {
  ok: false,
  reason: 'malformed_header',
  message: 'malformed OAuth Authorization header: expected name="value" pairs separated by commas',
} as const;
const MALFORMED_ENCODING = {
  ok: false,
  reason: 'malformed_header',
  message: 'malformed OAuth Authorization header: invalid percent-encoding',
} as const;

/**
 * Parses `Authorization: OAuth k="v", ...` (scheme case-insensitive; values in double quotes,
 * percent-decoded per §3.5.1; `realm` ignored; comma-separated with optional whitespace). Returns null
 * when the header is absent or not the OAuth scheme, or { ok:false } when it is OAuth but malformed
 * (unquoted value, bad percent-encoding, missing '=', ...).
 */
export function parseOAuthHeader(header: string | null): HeaderParseResult | null {
  if (header === null) return null;
  const scheme = AUTH_SCHEME.exec(header);
  if (scheme?.[1]?.toLowerCase() !== 'oauth') return null;

  const params: Parameter[] = [];
  let position = scheme[0].length;
  if (atEnd(header, position)) return { ok: true, params };
  if (scheme[2] === '') return MALFORMED_LIST;
  for (;;) {
    AUTH_PARAM.lastIndex = position;
    const match = AUTH_PARAM.exec(header);
    if (!match) return MALFORMED_LIST;
    position = AUTH_PARAM.lastIndex;

    const name = percentDecode(match[1] ?? '');
    if (name === null) return MALFORMED_ENCODING;
    if (name !== 'realm') {
      const value = percentDecode(match[2] ?? '');
      if (value === null) return MALFORMED_ENCODING;
      params.push([name, value]);
    }

    if (atEnd(header, position)) return { ok: true, params };
    LIST_SEPARATOR.lastIndex = position;
    if (!LIST_SEPARATOR.test(header)) return MALFORMED_LIST;
    position = LIST_SEPARATOR.lastIndex;
  }
}

/** The auth-scheme of an Authorization header, lowercased; null when it does not start with one. */
export function authorizationScheme(header: string): string | null {
  return AUTH_SCHEME.exec(header)?.[1]?.toLowerCase() ?? null;
}

function atEnd(header: string, position: number): boolean {
  TRAILING_WHITESPACE.lastIndex = position;
  return TRAILING_WHITESPACE.test(header);
}

function percentDecode(encoded: string): string | null {
  if (!PERCENT_ENCODED.test(encoded)) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    // Well-formed %XX triplets that are not valid UTF-8.
    return null;
  }
}

/**
 * Collects every parameter that enters the signature base string (§3.4.1.3.1): the OAuth header
 * params (minus realm), the query string and, only when `formBody` is given (the caller passes it
 * only for application/x-www-form-urlencoded), the body, each query/body pair decoded as
 * application/x-www-form-urlencoded ('+' is a space, names decoded too).
 * `signed` is all of them except oauth_signature (duplicates kept). `protocol` maps each oauth_*
 * name to its value.
 * Errors (ok:false): an oauth_* parameter present in more than one location, or repeated within
 * one; a malformed header; more than MAX_SIGNED_PARAMETERS parameters.
 * `location` says where the protocol params came from (null when none).
 */
export function collectParameters(input: {
  authorizationHeader: string | null;
  query: string;
  formBody: string | null;
}): CollectedParameters {
  const header = parseOAuthHeader(input.authorizationHeader);
  if (header && !header.ok) return header;

  const sources: [ParameterLocation, Parameter[]][] = [
    ['header', header?.params ?? []],
    ['query', formDecode(input.query.replace(/^\?/, ''))],
    ['body', input.formBody === null ? [] : formDecode(input.formBody)],
  ];
  if (sources.reduce((count, [, params]) => count + params.length, 0) > MAX_SIGNED_PARAMETERS) {
    return {
      ok: false,
      reason: 'too_many_parameters',
      message: `a signed request may carry at most ${MAX_SIGNED_PARAMETERS} parameters (header, query and form body together)`,
    };
  }
  const protocol = new Map<string, string>();
  const signed: Parameter[] = [];
  let location: ParameterLocation | null = null;
  for (const [source, params] of sources) {
    for (const [name, value] of params) {
      if (name !== 'oauth_signature') signed.push([name, value]);
      if (!name.startsWith('oauth_')) continue;
      if (location !== null && location !== source) {
        return {
          ok: false,
          reason: 'parameters_in_several_locations',
          message: `OAuth protocol parameters appear in more than one location (${location} and ${source})`,
        };
      }
      if (protocol.has(name)) {
        return {
          ok: false,
          reason: 'duplicate_parameter',
          message: `${name} appears more than once`,
        };
      }
      location = source;
      protocol.set(name, value);
    }
  }
  return { ok: true, protocol, signed, location };
}

/** True when the query string carries OAuth protocol parameters (§3.5.3 transport). */
export function hasProtocolParameters(query: string): boolean {
  return formDecode(query.replace(/^\?/, '')).some(([name]) => name.startsWith('oauth_'));
}

function formDecode(encoded: string): Parameter[] {
  // The leading '&' stops URLSearchParams from eating a '?' that belongs to the first name.
  return [...new URLSearchParams(`&${encoded}`)];
}
