import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oauthPercentEncode } from '../../src/oauth/percent-encoding.js';
import { collectParameters } from '../../src/oauth/request-parameters.js';
import {
  baseStringUri,
  bodyHash,
  computeSignature,
  normalizeParameters,
  type Parameter,
  type SignatureMethod,
  signatureBaseString,
  signatureMatches,
} from '../../src/oauth/signature.js';

// security.md §1.9 shared project credentials (V6–V13).
const PROJECT = {
  consumerKey: 'a6aa81cc3e65e2960a4879392445e718',
  consumerSecret: '0k1ejmsyj8v9m6jx4d5t0o3hxsk5r3bw',
  token: 'kqyb2w1fg7nlxv9zq8uw0dx6dhryrrnc',
  tokenSecret: 'u3mk5hnrtgi8qz1e9vjt9p7c2dd2m5o0',
  nonce: 'bf2c3a6b91e54d2f8f0f9b7a6c5d4e3f',
  timestamp: '1700000000',
};

function projectOAuthParams(method: SignatureMethod, withToken = true): Parameter[] {
  return [
    ['oauth_consumer_key', PROJECT.consumerKey],
    ['oauth_nonce', PROJECT.nonce],
    ['oauth_signature_method', method],
    ['oauth_timestamp', PROJECT.timestamp],
    ...(withToken ? [['oauth_token', PROJECT.token] as const] : []),
    ['oauth_version', '1.0'],
  ];
}

/** Splits a URL the way the server will: base string URI from the URL, params from its query. */
function signedParams(url: string, oauth: readonly Parameter[], formBody: string | null = null) {
  const collected = collectParameters({
    authorizationHeader: null,
    query: new URL(url).search,
    formBody,
  });
  if (!collected.ok) throw new Error(collected.message);
  return { baseUri: baseStringUri(url), params: [...oauth, ...collected.signed] };
}

const V1_URL = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
const V1_HEADER =
  'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
  'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
  'oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"';
const V1_NORMALIZED =
  'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2' +
  '&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201' +
  '&oauth_token=kkk9d7dh3k39sjv7';
const V1_BASE_STRING =
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D' +
  '%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a' +
  '%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201' +
  '%26oauth_token%3Dkkk9d7dh3k39sjv7';

function v1() {
  const collected = collectParameters({
    authorizationHeader: V1_HEADER,
    query: new URL(V1_URL).search,
    formBody: 'c2&a3=2+q',
  });
  if (!collected.ok) throw new Error(collected.message);
  return collected;
}

describe('V1: RFC 5849 §3.4.1 example', () => {
  it('normalizes the parameters exactly', () => {
    expect(normalizeParameters(v1().signed)).toBe(V1_NORMALIZED);
  });

  it('builds the base string exactly', () => {
    expect(signatureBaseString('post', baseStringUri(V1_URL), v1().signed)).toBe(V1_BASE_STRING);
  });
});

describe('V2/V3: signatures over the V1 base string', () => {
  it.each([
    ['V2', 'HMAC-SHA1', 'j49sk3j29djd', 'dh893hdasih9', 'r6/TJjbCOr97/+UU0NsvSne7s5g='],
    [
      'V2',
      'HMAC-SHA256',
      'j49sk3j29djd',
      'dh893hdasih9',
      'lIfydhbOitvsm4DvUwgM0NdR1Mzd08HnXI+q+EG0QKo=',
    ],
    [
      'V3',
      'HMAC-SHA1',
      'ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ',
      'just-a-string    asdasd',
      'wsdNmjGB7lvis0UJuPAmjvX/PXw=',
    ],
    [
      'V3',
      'HMAC-SHA256',
      'ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ',
      'just-a-string    asdasd',
      'wdfdHUKXHbOnOGZP8WFAWMSAmWzN3EVBWWgXGlC/Eo4=',
    ],
  ] as const)('%s %s', (_vector, method, consumerSecret, tokenSecret, expected) => {
    expect(computeSignature(method, V1_BASE_STRING, consumerSecret, tokenSecret)).toBe(expected);
    expect(signatureMatches(method, V1_BASE_STRING, consumerSecret, tokenSecret, expected)).toBe(
      true,
    );
  });

  it('V2: the RFC-printed signature (erratum 2550) does not match', () => {
    expect(
      signatureMatches(
        'HMAC-SHA1',
        V1_BASE_STRING,
        'j49sk3j29djd',
        'dh893hdasih9',
        'bYT5CMsGcbgUdFHObYMEfcx6bsw=',
      ),
    ).toBe(false);
  });

  it('V2: the signature carried in the V1 header verifies', () => {
    const collected = v1();
    expect(collected.location).toBe('header');
    expect(
      signatureMatches(
        'HMAC-SHA1',
        V1_BASE_STRING,
        'j49sk3j29djd',
        'dh893hdasih9',
        collected.protocol.get('oauth_signature') ?? '',
      ),
    ).toBe(true);
  });
});

describe('V4/V5: published client samples', () => {
  it('V4: OAuth Core 1.0 appendix A', () => {
    const url = 'http://photos.example.net/photos?file=vacation.jpg&size=original';
    const { baseUri, params } = signedParams(url, [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1191242096'],
      ['oauth_nonce', 'kllo9940pd9333jh'],
      ['oauth_version', '1.0'],
    ]);
    const base = signatureBaseString('GET', baseUri, params);
    expect(computeSignature('HMAC-SHA1', base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')).toBe(
      'tR3+Ty81lMeYAr/Fid0kMTYa/WM=',
    );
  });

  it('V5: Twitter sample with a form body', () => {
    const url = 'https://api.twitter.com/1/statuses/update.json?include_entities=true';
    const { baseUri, params } = signedParams(
      url,
      [
        ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
        ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '1318622958'],
        ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
        ['oauth_version', '1.0'],
      ],
      'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    );
    const base = signatureBaseString('POST', baseUri, params);
    expect(
      computeSignature(
        'HMAC-SHA1',
        base,
        'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      ),
    ).toBe('tnnArxj06cWHq44gCs1OSKk/jLY=');
  });
});

describe('V6–V13: project vectors', () => {
  const V8_BODY = '{"query":"mutation { deleteIntegration(id: 7) { id } }"}';

  type ProjectVector = {
    vector: string;
    httpMethod: string;
    url: string;
    method: SignatureMethod;
    expected: string;
    formBody?: string;
    extra?: Parameter[];
    consumerSecret?: string;
    withoutToken?: boolean;
  };

  it.each<ProjectVector>([
    {
      vector: 'V6',
      httpMethod: 'GET',
      url:
        'https://shop.example.com/graphql?query=%7B%20storeConfig%20%7B%20store_name%20%7D%20%7D' +
        '&operationName=&variables=%7B%22a%22%3A%22x%20y%2Bz%22%7D',
      method: 'HMAC-SHA256',
      expected: 'urrJIQzHS793ccuErhQnExVKqLCDYHLeVrsisPHMMwU=',
    },
    {
      vector: 'V7',
      httpMethod: 'POST',
      url: 'https://shop.example.com/graphql',
      method: 'HMAC-SHA256',
      expected: 'TkiWiwrFmdCPPWNuLdm4mvv1XVNj6U8DEUwZfu1UFhk=',
    },
    {
      vector: 'V8',
      httpMethod: 'POST',
      url: 'https://shop.example.com/graphql',
      method: 'HMAC-SHA256',
      extra: [['oauth_body_hash', 'Cn2444ymmmeRkb4t5Puv/GrF60F75bBW3WNMQMOlagg=']],
      expected: '+bwlOdzsxUDc4gLT4X7FwVQQEYa3xXYrkUDKVoAQmfw=',
    },
    {
      vector: 'V9',
      httpMethod: 'POST',
      url: 'https://shop.example.com/graphql?b=2&a=1&a=0',
      formBody: 'query=%7B+__typename+%7D&z=&a=3',
      method: 'HMAC-SHA1',
      expected: '31z0pMH+rwlPVAax+vpJeI4zNl4=',
    },
    {
      vector: 'V10',
      httpMethod: 'GET',
      url: 'HTTPS://Shop.Example.COM:8443/GraphQL',
      method: 'HMAC-SHA256',
      expected: 'tttSHWannbq4EI+Zv5T8gjTTA1NXuwjtCJxWD3gEu1M=',
    },
    {
      vector: 'V11',
      httpMethod: 'GET',
      url: 'https://shop.example.com/graphql?q=%E2%98%83%20caf%C3%A9',
      method: 'HMAC-SHA1',
      consumerSecret: 'c&s=1 x',
      expected: 'g+AZTAhPimbT3u0bO2A+S35jltw=',
    },
    {
      vector: 'V13',
      httpMethod: 'POST',
      url: 'https://shop.example.com/graphql',
      method: 'HMAC-SHA256',
      withoutToken: true,
      expected: 'QGQ9j2Tyo1VRiHWvZekComlIE5wKT8y3fb/Uy76KUNE=',
    },
  ])('$vector', (v) => {
    const oauth = [...projectOAuthParams(v.method, !v.withoutToken), ...(v.extra ?? [])];
    const { baseUri, params } = signedParams(v.url, oauth, v.formBody ?? null);
    const base = signatureBaseString(v.httpMethod, baseUri, params);
    const consumerSecret = v.consumerSecret ?? PROJECT.consumerSecret;
    const tokenSecret = v.withoutToken ? '' : PROJECT.tokenSecret;

    expect(computeSignature(v.method, base, consumerSecret, tokenSecret)).toBe(v.expected);
    expect(signatureMatches(v.method, base, consumerSecret, tokenSecret, v.expected)).toBe(true);
  });

  it('V7: the base string lists only the protocol parameters', () => {
    const base = signatureBaseString(
      'POST',
      baseStringUri('https://shop.example.com/graphql'),
      projectOAuthParams('HMAC-SHA256'),
    );
    expect(base).toMatch(/^POST&https%3A%2F%2Fshop\.example\.com%2Fgraphql&oauth_consumer_key%3D/);
    expect(base).toMatch(/%26oauth_version%3D1\.0$/);
  });

  it('V8: body hash is plain SHA-256 of the exact body bytes (SHA-1 for HMAC-SHA1)', () => {
    const body = new TextEncoder().encode(V8_BODY);
    expect(bodyHash('HMAC-SHA256', body)).toBe('Cn2444ymmmeRkb4t5Puv/GrF60F75bBW3WNMQMOlagg=');
    expect(bodyHash('HMAC-SHA1', body)).toBe('SH2C4KiGqYGjKVnkAIy50zgjbn4=');
  });

  it('body hash of known inputs (§1.4)', () => {
    const empty = new Uint8Array();
    expect(bodyHash('HMAC-SHA1', empty)).toBe('2jmj7l5rSw0yVb/vlWAYkK/YBwk=');
    expect(bodyHash('HMAC-SHA256', empty)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(bodyHash('HMAC-SHA1', new TextEncoder().encode('Hello World!'))).toBe(
      'Lve95gjOVATpfV8EL5X4nxwjKHE=',
    );
  });

  it('V9: duplicates across query and body are all kept and sorted', () => {
    const { params } = signedParams(
      'https://shop.example.com/graphql?b=2&a=1&a=0',
      projectOAuthParams('HMAC-SHA1'),
      'query=%7B+__typename+%7D&z=&a=3',
    );
    const normalized = normalizeParameters(params);
    expect(normalized.startsWith('a=0&a=1&a=3&b=2&oauth_')).toBe(true);
    expect(normalized.endsWith('&query=%7B%20__typename%20%7D&z=')).toBe(true);
  });

  it('V10: base string URI lowercases scheme and host and keeps path case', () => {
    expect(baseStringUri('HTTPS://Shop.Example.COM:8443/GraphQL')).toBe(
      'https://shop.example.com:8443/GraphQL',
    );
  });

  it('V12: the oauth-1.0a default (HMAC) body hash is not our body hash', () => {
    const body = new TextEncoder().encode(V8_BODY);
    expect(bodyHash('HMAC-SHA256', body)).not.toBe('9uXGz9lHlfdipYoBwi5zGkXIW9BSxL0lxkbyQ2N0aYU=');
  });

  it('V14: PLAINTEXT is not a signature method', () => {
    // @ts-expect-error PLAINTEXT is deliberately outside SignatureMethod.
    const plaintext: SignatureMethod = 'PLAINTEXT';
    expect(plaintext).toBe('PLAINTEXT');
  });
});

describe('V15: percent-encoding', () => {
  it.each([
    ['Ladies + Gentlemen', 'Ladies%20%2B%20Gentlemen'],
    ['An encoded string!', 'An%20encoded%20string%21'],
    ['Dogs, Cats & Mice', 'Dogs%2C%20Cats%20%26%20Mice'],
    ['☃', '%E2%98%83'],
    ["*'()", '%2A%27%28%29'],
    ['~-._', '~-._'],
    ['=%3D', '%3D%253D'],
    ['c@', 'c%40'],
    ['', ''],
    ['AZaz09', 'AZaz09'],
    ['\n/?#[]', '%0A%2F%3F%23%5B%5D'],
    ['\ud800', '%EF%BF%BD'],
  ])('%j -> %s', (input, expected) => {
    expect(oauthPercentEncode(input)).toBe(expected);
  });
});

describe('V16: base string URI', () => {
  it.each([
    ['http://EXAMPLE.COM:80/r%20v/X?id=123', 'http://example.com/r%20v/X'],
    ['https://www.example.net:8080/?q=1', 'https://www.example.net:8080/'],
    ['HTTPS://Shop.Example.com:443/graphql', 'https://shop.example.com/graphql'],
    ['HTTP://www.example.com:443/', 'http://www.example.com:443/'],
    ['https://www.example.com:80/', 'https://www.example.com:80/'],
    ['https://www.example.com/path#fragment', 'https://www.example.com/path'],
    ['http://www.example.com', 'http://www.example.com/'],
    ['http://www.example.com?a=1', 'http://www.example.com/'],
    ['https://example.com/a/../b/./c%2f', 'https://example.com/a/../b/./c%2f'],
  ])('%s -> %s', (input, expected) => {
    expect(baseStringUri(input)).toBe(expected);
  });

  it.each([
    'http:',
    'http://',
    'http://:8080',
    'http://example.com:65536/',
    'http://example.com:BAD/',
    'http://example.com:0/',
    'http://example.com:-1/',
    'http://example.com:3.14/',
    'http://example.com:42:42/',
    'http://evil.example\\@good.example/',
    'ftp://example.com/',
    'example.com/path',
    '/graphql',
  ])('%s throws TypeError', (input) => {
    expect(() => baseStringUri(input)).toThrow(TypeError);
  });
});

describe('signatureMatches', () => {
  const base = signatureBaseString('GET', 'https://shop.example.com/graphql', [['a', '1']]);
  const sha1 = computeSignature('HMAC-SHA1', base, 'cs', 'ts');
  const sha256 = computeSignature('HMAC-SHA256', base, 'cs', 'ts');
  const matches = (received: string, method: SignatureMethod = 'HMAC-SHA256') =>
    signatureMatches(method, base, 'cs', 'ts', received);

  it('accepts the right signature', () => {
    expect(matches(sha256)).toBe(true);
    expect(matches(sha1, 'HMAC-SHA1')).toBe(true);
  });

  it.each([
    ['a wrong signature', computeSignature('HMAC-SHA256', base, 'cs', 'other')],
    ['a truncated signature', sha256.slice(0, -4)],
    ['a signature minus its padding', sha256.replace(/=+$/, '')],
    ['an empty string', ''],
    ['non-base64 garbage', '!!!!'],
    ['the right signature with junk inside', `${sha256.slice(0, 8)}!!${sha256.slice(8)}`],
    ['the right signature as base64url', Buffer.from(sha256, 'base64').toString('base64url')],
    ['the HMAC-SHA1 signature (other method, other length)', sha1],
    ['a same-length signature of another method', computeSignature('HMAC-SHA256', 'x', 'y', '')],
    ['a longer signature', `${sha256}${sha256}`],
  ])('rejects %s without throwing', (_label, received) => {
    expect(() => matches(received)).not.toThrow();
    expect(matches(received)).toBe(false);
  });

  it('rejects the SHA-256 signature under HMAC-SHA1', () => {
    expect(matches(sha256, 'HMAC-SHA1')).toBe(false);
  });

  it('keeps the & in the key when the token secret is empty', () => {
    expect(computeSignature('HMAC-SHA1', base, 'c s', '')).toBe(
      createHmac('sha1', 'c%20s&').update(base).digest('base64'),
    );
  });
});
