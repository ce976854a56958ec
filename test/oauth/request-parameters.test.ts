import { describe, expect, it } from 'vitest';
import {
  authorizationScheme,
  collectParameters,
  hasProtocolParameters,
  MAX_SIGNED_PARAMETERS,
  parseOAuthHeader,
} from '../../src/oauth/request-parameters.js';

const HEADER = 'OAuth oauth_consumer_key="ck", oauth_nonce="n1", oauth_signature="s%2Bg%3D"';

function collect(input: {
  authorizationHeader?: string | null;
  query?: string;
  formBody?: string | null;
}) {
  return collectParameters({
    authorizationHeader: input.authorizationHeader ?? null,
    query: input.query ?? '',
    formBody: input.formBody ?? null,
  });
}

function collected(input: Parameters<typeof collect>[0]) {
  const result = collect(input);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('parseOAuthHeader', () => {
  it('returns null when the header is absent or another scheme', () => {
    expect(parseOAuthHeader(null)).toBeNull();
    expect(parseOAuthHeader('Bearer x')).toBeNull();
    expect(parseOAuthHeader('Basic dXNlcjpwYXNz')).toBeNull();
    expect(parseOAuthHeader('OAuthx a="1"')).toBeNull();
    expect(parseOAuthHeader('')).toBeNull();
  });

  it.each(['oauth', 'OAuth', 'OAUTH'])('accepts the %s scheme', (scheme) => {
    expect(parseOAuthHeader(`${scheme} oauth_nonce="n1"`)).toEqual({
      ok: true,
      params: [['oauth_nonce', 'n1']],
    });
  });

  it('ignores realm and percent-decodes names and values', () => {
    expect(
      parseOAuthHeader(
        'OAuth realm="http://photos.example.net/ \\"x\\"", oauth_signature="a%2Bb%3D", c%40="%E2%98%83"',
      ),
    ).toEqual({
      ok: true,
      params: [
        ['oauth_signature', 'a+b='],
        ['c@', '☃'],
      ],
    });
  });

  it('accepts optional whitespace around commas, no separator whitespace and empty values', () => {
    expect(parseOAuthHeader('OAuth   a="1" ,\tb="",c="3"  ')).toEqual({
      ok: true,
      params: [
        ['a', '1'],
        ['b', ''],
        ['c', '3'],
      ],
    });
  });

  it('accepts the bare scheme with no parameters', () => {
    expect(parseOAuthHeader('OAuth')).toEqual({ ok: true, params: [] });
  });

  it.each([
    ['an unquoted value', 'OAuth oauth_nonce=n1'],
    ['a missing =', 'OAuth oauth_nonce"n1"'],
    ['a name without value', 'OAuth oauth_nonce'],
    ['an unterminated quote', 'OAuth oauth_nonce="n1'],
    ['a missing comma', 'OAuth a="1" b="2"'],
    ['a trailing comma', 'OAuth a="1",'],
    ['an empty list element', 'OAuth a="1",,b="2"'],
    ['no space after the scheme', 'OAuth,a="1"'],
    ['a second scheme', 'OAuth a="1", Basic xyz'],
    ['whitespace around =', 'OAuth a = "1"'],
    ['bad percent-encoding', 'OAuth a="%zz"'],
    ['a truncated escape', 'OAuth a="%E"'],
    ['invalid UTF-8', 'OAuth a="%E2%98"'],
    ['an unencoded reserved character', 'OAuth oauth_signature="a+b="'],
    ['a space in a value', 'OAuth a="x y"'],
    ['a bad name encoding', 'OAuth a%="1"'],
  ])('rejects %s', (_label, header) => {
    const result = parseOAuthHeader(header);
    expect(result).toMatchObject({ ok: false });
    expect(result?.ok === false && result.message).toMatch(/^malformed OAuth Authorization header/);
  });
});

describe('collectParameters', () => {
  it('takes protocol params from the header and signs everything except oauth_signature', () => {
    const result = collected({ authorizationHeader: HEADER, query: '?x=1' });
    expect(result.location).toBe('header');
    expect(Object.fromEntries(result.protocol)).toEqual({
      oauth_consumer_key: 'ck',
      oauth_nonce: 'n1',
      oauth_signature: 's+g=',
    });
    expect(result.signed).toEqual([
      ['oauth_consumer_key', 'ck'],
      ['oauth_nonce', 'n1'],
      ['x', '1'],
    ]);
  });

  it('ignores realm in the header', () => {
    const result = collected({ authorizationHeader: 'OAuth realm="r", oauth_nonce="n"' });
    expect(result.signed).toEqual([['oauth_nonce', 'n']]);
    expect(result.protocol.has('realm')).toBe(false);
  });

  it('takes protocol params from the query or the body', () => {
    expect(collected({ query: 'oauth_nonce=n&oauth_signature=s' }).location).toBe('query');
    expect(collected({ formBody: 'oauth_nonce=n&a=1' }).location).toBe('body');
  });

  it('reports no location when there are no protocol params', () => {
    const result = collected({ authorizationHeader: 'Bearer x', query: 'a=1' });
    expect(result.location).toBeNull();
    expect(result.protocol.size).toBe(0);
    expect(result.signed).toEqual([['a', '1']]);
  });

  it.each([
    ['header and query', { authorizationHeader: HEADER, query: 'oauth_token=t' }],
    ['header and body', { authorizationHeader: HEADER, formBody: 'oauth_signature=x' }],
    ['query and body', { query: 'oauth_nonce=n', formBody: 'oauth_token=t' }],
  ])('rejects protocol params in %s', (_label, input) => {
    const result = collect(input);
    expect(result).toMatchObject({ ok: false, reason: 'parameters_in_several_locations' });
    expect(result.ok === false && result.message).toMatch(/more than one location/);
  });

  it.each([
    ['the header', { authorizationHeader: 'OAuth oauth_nonce="a", oauth_nonce="b"' }],
    ['the query', { query: 'oauth_nonce=a&oauth_nonce=a' }],
    ['the body', { formBody: 'oauth_nonce=a&oauth_nonce=b' }],
  ])('rejects oauth_nonce repeated within %s', (_label, input) => {
    expect(collect(input)).toEqual({
      ok: false,
      reason: 'duplicate_parameter',
      message: 'oauth_nonce appears more than once',
    });
  });

  it('rejects a repeated oauth_signature too', () => {
    expect(collect({ query: 'oauth_signature=a&oauth_signature=b' })).toEqual({
      ok: false,
      reason: 'duplicate_parameter',
      message: 'oauth_signature appears more than once',
    });
  });

  it('passes a malformed header error through', () => {
    expect(collect({ authorizationHeader: 'OAuth oauth_nonce=n' })).toMatchObject({
      ok: false,
      reason: 'malformed_header',
    });
  });

  it('includes body params only when formBody is given', () => {
    expect(collected({ query: 'a=1', formBody: null }).signed).toEqual([['a', '1']]);
    expect(collected({ query: 'a=1', formBody: 'b=2' }).signed).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it("decodes '+' as a space in query and body", () => {
    expect(collected({ query: 'a=2+q', formBody: 'b+c=x+y' }).signed).toEqual([
      ['a', '2 q'],
      ['b c', 'x y'],
    ]);
  });

  it('decodes names, keeps empty values, names without = and duplicates in order', () => {
    expect(collected({ query: '?c%40=&a=1&a=0&c2', formBody: 'a=3&a3=%3D%253D' }).signed).toEqual([
      ['c@', ''],
      ['a', '1'],
      ['a', '0'],
      ['c2', ''],
      ['a', '3'],
      ['a3', '=%3D'],
    ]);
  });

  it("strips only one leading '?' from the query", () => {
    expect(collected({ query: '??a=1' }).signed).toEqual([['?a', '1']]);
    expect(collected({ query: 'a=1' }).signed).toEqual([['a', '1']]);
    expect(collected({ query: '?' }).signed).toEqual([]);
  });
});

describe('the parameter cap', () => {
  const params = (count: number, prefix = 'p') =>
    Array.from({ length: count }, (_, i) => `${prefix}${i}=x`).join('&');

  it(`accepts ${MAX_SIGNED_PARAMETERS} parameters across header, query and body`, () => {
    // given 3 in the header, the rest split between query and body
    const rest = MAX_SIGNED_PARAMETERS - 3;
    const input = {
      authorizationHeader: HEADER,
      query: params(Math.floor(rest / 2), 'q'),
      formBody: params(Math.ceil(rest / 2), 'b'),
    };

    // then
    expect(collected(input).signed).toHaveLength(MAX_SIGNED_PARAMETERS - 1);
  });

  it.each([
    ['the query', { query: params(MAX_SIGNED_PARAMETERS + 1) }],
    ['query and body', { query: params(60), formBody: params(41) }],
    [
      'header, query and body',
      { authorizationHeader: HEADER, query: params(50), formBody: params(48) },
    ],
    ['1,000 query parameters', { query: params(1_000) }],
  ])('refuses one more, in %s', (_label, input) => {
    expect(collect(input)).toEqual({
      ok: false,
      reason: 'too_many_parameters',
      message: `a signed request may carry at most ${MAX_SIGNED_PARAMETERS} parameters (header, query and form body together)`,
    });
  });
});

describe('hasProtocolParameters', () => {
  it.each([
    ['?oauth_consumer_key=k', true],
    ['query=%7B%7D&oauth_nonce=n', true],
    ['oauth%5Fsignature=x', true],
    ['?query=%7B%7D&variables=', false],
    ['?xoauth_nonce=n', false],
    ['', false],
  ])('%s → %s', (query, expected) => {
    expect(hasProtocolParameters(query)).toBe(expected);
  });
});

describe('authorizationScheme', () => {
  it.each([
    ['OAuth', 'oauth'],
    ['oauth realm="x"', 'oauth'],
    ['OAuth,oauth_nonce="n"', 'oauth'],
    ['Bearer abc', 'bearer'],
    ['Basic YWRtaW46YWRtaW4=', 'basic'],
    ['', null],
    [' OAuth', null],
  ])('%j → %j', (header, expected) => {
    expect(authorizationScheme(header)).toBe(expected);
  });
});
