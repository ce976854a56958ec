/**
 * The console's admin session as a browser cookie. The cookie carries the same opaque session
 * token a Bearer client gets, but the console's JavaScript never sees it: `HttpOnly`,
 * `SameSite=Strict`, `Path=/`, `Max-Age` = ADMIN_SESSION_TTL_SECONDS, and `Secure` (with the
 * `__Host-` name prefix, which browsers accept only from a secure origin, on path `/`, without a
 * Domain) whenever the public origin is https.
 *
 * A request that carries the cookie, or that asks adminLogin for one, is a browser request and
 * must prove it is not a cross-site forgery: it carries the CSRF header (which a cross-site form
 * or simple request cannot send), and when it is not a GET its `Origin` is the public origin.
 */

/** The header a request authenticated by the session cookie must carry (any value). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

const CSRF_HEADER_MISSING_MESSAGE =
  `A request signed in with the console's session cookie must carry the ${CSRF_HEADER} header ` +
  '(any value); a cross-site form cannot send it.';
const originRefusedMessage = (publicOrigin: string) =>
  "A request signed in with the console's session cookie must come from the gateway's own " +
  `origin: its Origin header must be ${publicOrigin} (open the console at ${publicOrigin}/admin).`;

export interface SessionCookieSettings {
  /** Origin clients use (PUBLIC_BASE_URL), e.g. `https://gateway.example`. */
  publicOrigin: string;
  ttlSeconds: number;
}

export interface SessionCookie {
  name: string;
  /** `Set-Cookie` value starting a session with `token`. */
  issue(token: string): string;
  /** `Set-Cookie` value removing the cookie. */
  cleared: string;
  /** The cookie's value in a `Cookie` request header, or null. */
  read(cookieHeader: string | null): string | null;
}

export function sessionCookie(settings: SessionCookieSettings): SessionCookie {
  const secure = new URL(settings.publicOrigin).protocol === 'https:';
  const name = secure ? '__Host-ig_admin_session' : 'ig_admin_session';
  const attributes = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return {
    name,
    issue: (token) => `${name}=${token}; Max-Age=${settings.ttlSeconds}; ${attributes}`,
    cleared: `${name}=; Max-Age=0; ${attributes}`,
    read(cookieHeader) {
      if (!cookieHeader) return null;
      for (const pair of cookieHeader.split(';')) {
        const separator = pair.indexOf('=');
        if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
        return pair.slice(separator + 1).trim();
      }
      return null;
    },
  };
}

/** Why a request may not use (or start) a cookie session; the reason goes to the request log. */
export interface BrowserRefusal {
  reason: 'csrf_header_missing' | 'origin_not_public';
  message: string;
}

/** What a resolver may do with the browser session of its request. */
export interface BrowserSession {
  /** True when the request's admin session came from the session cookie. */
  readonly viaCookie: boolean;
  /** Why this request may not start a cookie session, or null when it may. */
  readonly refusal: BrowserRefusal | null;
  /** Answers with the cookie of a session just created with `token`. */
  start(token: string): void;
  /** Answers with the cookie removed (sign-out, lockout, a session that no longer exists). */
  end(): void;
}

function refusalOf(request: Request, publicOrigin: string): BrowserRefusal | null {
  if (!request.headers.has(CSRF_HEADER)) {
    return { reason: 'csrf_header_missing', message: CSRF_HEADER_MISSING_MESSAGE };
  }
  const safeMethod = request.method === 'GET' || request.method === 'HEAD';
  if (!safeMethod && request.headers.get('origin') !== publicOrigin) {
    return { reason: 'origin_not_public', message: originRefusedMessage(publicOrigin) };
  }
  return null;
}

/** The browser-session state of one request: what the client proved, and the cookie to send. */
export class BrowserRequest implements BrowserSession {
  /** The session token of the cookie the request carries, or null. */
  readonly cookieToken: string | null;
  readonly refusal: BrowserRefusal | null;
  viaCookie = false;
  /** The `Set-Cookie` value to answer with, if any. */
  setCookie: string | null = null;

  constructor(
    request: Request,
    private readonly cookie: SessionCookie,
    publicOrigin: string,
  ) {
    this.cookieToken = cookie.read(request.headers.get('cookie'));
    this.refusal = refusalOf(request, publicOrigin);
  }

  start(token: string): void {
    this.setCookie = this.cookie.issue(token);
  }

  end(): void {
    this.setCookie = this.cookie.cleared;
  }
}
