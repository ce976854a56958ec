/**
 * The baseline: a bare node:http + mysql2 server doing, per scenario (POST /<scenario id>), the
 * SQL the work needs and nothing else: the security settings a signed request is checked under,
 * the consumer and token lookups, one HMAC-SHA256 over the RFC 5849 base string (after decrypting
 * both secrets), the grants of a CUSTOM integration, the nonce INSERT, the admin session lookup by
 * token hash, then the data, answered with JSON.stringify in the gateway's response shape.
 * Independent statements run concurrently. Environment: DATABASE_URL, PORT, PUBLIC_BASE_URL,
 * CREDENTIALS_ENCRYPTION_KEY.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { verifyPassword } from '../src/admin-auth/password.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { cursorCodecOf } from '../src/db/page.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const publicBaseUrl = env('PUBLIC_BASE_URL');
const secretBox = new SecretBox(Buffer.from(env('CREDENTIALS_ENCRYPTION_KEY'), 'base64'));
const pool = mysql.createPool({ uri: env('DATABASE_URL'), timezone: 'Z', connectionLimit: 10 });

type Row = RowDataPacket & Record<string, unknown>;
/** Statements sent so far (GET /stats), to report statements per request. */
let statements = 0;
const rows = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
  statements += 1;
  return (await pool.query<Row[]>(sql, params))[0];
};

class Refusal extends Error {
  constructor(readonly status: number) {
    super('refused');
  }
}
const UNAUTHORIZED = () => new Refusal(401);

const enc = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

interface Caller {
  resourceAccess: 'ALL' | 'CUSTOM';
  granted: Set<string>;
}

/** Verifies an `Authorization: OAuth …` request of an active integration and records its nonce. */
async function signed(req: IncomingMessage, path: string, hasBody: boolean): Promise<Caller> {
  const header = /^OAuth\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!header) throw UNAUTHORIZED();
  const params = new Map<string, string>();
  for (const part of header.split(/\s*,\s*/)) {
    const match = /^([a-z_]+)="([^"]*)"$/.exec(part);
    if (match?.[1] && match[2] !== undefined) params.set(match[1], decodeURIComponent(match[2]));
  }
  const key = params.get('oauth_consumer_key') ?? '';
  const token = params.get('oauth_token') ?? '';
  const nonce = params.get('oauth_nonce') ?? '';
  const timestamp = Number(params.get('oauth_timestamp'));
  if (params.get('oauth_signature_method') !== 'HMAC-SHA256') throw new Refusal(400);
  const [[settings], [consumer], [tokenRow]] = await Promise.all([
    rows('SELECT require_body_hash FROM security_settings WHERE id = 1'),
    rows(
      'SELECT c.id, c.secret_encrypted, i.id AS integration_id, i.status, i.resource_access FROM oauth_consumer c JOIN integration i ON i.id = c.integration_id WHERE c.consumer_key = ?',
      [key],
    ),
    rows('SELECT consumer_id, type, secret_encrypted, revoked FROM oauth_token WHERE token = ?', [
      token,
    ]),
  ]);
  if (settings?.require_body_hash && hasBody && !params.has('oauth_body_hash')) {
    throw new Refusal(400);
  }
  if (!consumer || !tokenRow) throw UNAUTHORIZED();
  const signedParams = [...params]
    .filter(([name]) => name !== 'oauth_signature' && name !== 'realm')
    .map(([name, value]) => `${enc(name)}=${enc(value)}`)
    .sort()
    .join('&');
  const base = `POST&${enc(`${publicBaseUrl}${path}`)}&${enc(signedParams)}`;
  const consumerSecret = secretBox.decrypt(
    String(consumer.secret_encrypted),
    'oauth_consumer.secret',
  );
  const tokenSecret = secretBox.decrypt(String(tokenRow.secret_encrypted), 'oauth_token.secret');
  const expected = createHmac('sha256', `${enc(consumerSecret)}&${enc(tokenSecret)}`)
    .update(base)
    .digest();
  const received = Buffer.from(params.get('oauth_signature') ?? '', 'base64');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw UNAUTHORIZED();
  }
  if (
    tokenRow.consumer_id !== consumer.id ||
    tokenRow.type !== 'access' ||
    tokenRow.revoked ||
    consumer.status !== 'ACTIVE' ||
    Math.abs(Date.now() / 1000 - timestamp) > 600 ||
    !/^[A-Za-z0-9._~-]{8,64}$/.test(nonce)
  ) {
    throw UNAUTHORIZED();
  }
  const resourceAccess = consumer.resource_access as 'ALL' | 'CUSTOM';
  statements += 1;
  const [, grants] = await Promise.all([
    pool
      .query('INSERT INTO oauth_nonce (consumer_id, token, nonce, timestamp) VALUES (?, ?, ?, ?)', [
        consumer.id,
        token,
        nonce,
        timestamp,
      ])
      .catch((error: { code?: string }) => {
        throw error.code === 'ER_DUP_ENTRY' ? UNAUTHORIZED() : error;
      }),
    resourceAccess === 'CUSTOM'
      ? rows('SELECT resource_id FROM integration_acl_grant WHERE integration_id = ?', [
          consumer.integration_id,
        ])
      : Promise.resolve([]),
  ]);
  return { resourceAccess, granted: new Set(grants.map((g) => String(g.resource_id))) };
}

function requireResources(caller: Caller, ...resources: string[]): void {
  if (caller.resourceAccess === 'ALL') return;
  if (!resources.every((r) => caller.granted.has(r))) throw new Refusal(403);
}

/** The admin session of `Authorization: Bearer <token>`, looked up by the token's SHA-256. */
async function admin(req: IncomingMessage): Promise<{ id: number; username: string }> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const [session] = await rows(
    'SELECT u.id, u.username FROM admin_session s JOIN admin_user u ON u.id = s.admin_id WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.is_active = 1 LIMIT 1',
    [createHash('sha256').update(token).digest('hex'), new Date()],
  );
  if (!session) throw UNAUTHORIZED();
  return { id: Number(session.id), username: String(session.username) };
}

/** The current-password check of re-authenticated mutations, as the gateway runs it. */
async function reauthenticate(adminId: number, password: unknown): Promise<void> {
  const [row] = await rows('SELECT password_hash FROM admin_user WHERE id = ?', [adminId]);
  const matches =
    typeof password === 'string' && (await verifyPassword(String(row?.password_hash), password));
  if (!matches) throw UNAUTHORIZED();
}

// Signed as the gateway signs its cursors, so both answer the same `endCursor`.
const cursors = cursorCodecOf(secretBox);
const cursorOf = (id: number) => cursors.encode([id]);
const randomToken = () => {
  const bytes = randomBytes(32);
  let out = '';
  for (const byte of bytes) out += '0123456789abcdefghijklmnopqrstuvwxyz'[byte % 36];
  return out;
};

type Handler = (
  req: IncomingMessage,
  variables: Record<string, unknown>,
  hasBody: boolean,
) => Promise<unknown>;

const handlers: Record<string, Handler> = {
  async s1(req, variables, hasBody) {
    requireResources(await signed(req, '/s1', hasBody), 'Magento_Catalog::products');
    const products = await rows(
      'SELECT sku, name, price, quantity FROM catalog_product ORDER BY created_at, id LIMIT ?',
      [Number(variables.first ?? 20)],
    );
    const nodes = products.map((p) => ({
      sku: p.sku,
      name: p.name,
      price: Number(p.price),
      quantity: p.quantity,
    }));
    return { products: { nodes } };
  },

  async s2(req, variables, hasBody) {
    const caller = await signed(req, '/s2', hasBody);
    requireResources(caller, 'Magento_Sales::actions_view', 'Magento_Customer::manage');
    const orders = await rows(
      'SELECT id, increment_id, status, customer_id FROM sales_order ORDER BY id DESC LIMIT ?',
      [Number(variables.first ?? 20)],
    );
    const ids = orders.map((o) => o.id);
    const customerIds = [...new Set(orders.map((o) => o.customer_id).filter((id) => id !== null))];
    const [customers, items] = await Promise.all([
      customerIds.length > 0
        ? rows('SELECT id, email FROM customer WHERE id IN (?)', [customerIds])
        : Promise.resolve([]),
      ids.length > 0
        ? rows(
            'SELECT order_id, sku, qty, price FROM sales_order_item WHERE order_id IN (?) ORDER BY id',
            [ids],
          )
        : Promise.resolve([]),
    ]);
    const emails = new Map(customers.map((c) => [c.id, c.email]));
    const itemsOf = new Map<unknown, { sku: unknown; qty: number; price: number }[]>();
    for (const item of items) {
      const list = itemsOf.get(item.order_id) ?? [];
      list.push({ sku: item.sku, qty: Number(item.qty), price: Number(item.price) });
      itemsOf.set(item.order_id, list);
    }
    const nodes = orders.map((o) => ({
      incrementId: o.increment_id,
      status: o.status,
      customer: o.customer_id === null ? null : { email: emails.get(o.customer_id) },
      items: itemsOf.get(o.id) ?? [],
    }));
    return { orders: { nodes } };
  },

  async s3() {
    const [settings] = await rows(
      'SELECT allow_anonymous_guest_access FROM security_settings WHERE id = 1',
    );
    if (!settings?.allow_anonymous_guest_access) throw UNAUTHORIZED();
    const [[page], products] = await Promise.all([
      rows('SELECT title, content FROM cms_page WHERE identifier = ? AND is_active = 1', ['home']),
      rows(
        "SELECT sku, name, price FROM catalog_product WHERE status = 'ENABLED' ORDER BY created_at, id LIMIT 10",
      ),
    ]);
    const nodes = products.map((p) => ({ sku: p.sku, name: p.name, price: Number(p.price) }));
    return {
      cmsPage: page ? { title: page.title, content: page.content } : null,
      products: { nodes },
    };
  },

  async s4(req, variables) {
    await admin(req);
    const list = await rows(
      'SELECT id, name, status, callback_url, identity_link_url FROM integration ORDER BY created_at, id LIMIT ?',
      [Number(variables.first ?? 20)],
    );
    const insecure = (url: unknown) =>
      typeof url === 'string' && url.toLowerCase().startsWith('http:');
    const nodes = list.map((i) => ({
      id: String(i.id),
      name: i.name,
      status: i.status,
      isSecure: !insecure(i.callback_url) && !insecure(i.identity_link_url),
    }));
    return { integrations: { nodes } };
  },

  async s5(req, variables) {
    const actor = await admin(req);
    await reauthenticate(actor.id, variables.currentPassword);
    const id = Number(variables.id);
    const pooled = await pool.getConnection();
    const connection = {
      query: <T extends Row[] | mysql.ResultSetHeader>(sql: string, params: unknown[] = []) => {
        statements += 1;
        return pooled.query<T>(sql, params);
      },
    };
    try {
      await connection.query('BEGIN');
      const [[integration]] = await connection.query<Row[]>(
        'SELECT id, name, status, callback_url, identity_link_url FROM integration WHERE id = ? FOR UPDATE',
        [id],
      );
      if (integration?.status !== 'ACTIVE' || integration.identity_link_url) {
        throw new Refusal(422);
      }
      const [[consumer]] = await connection.query<Row[]>(
        'SELECT id FROM oauth_consumer WHERE integration_id = ?',
        [id],
      );
      const accessToken = randomToken();
      const accessTokenSecret = randomToken();
      await connection.query(
        "INSERT INTO oauth_token (consumer_id, type, token, secret_encrypted, created_at) VALUES (?, 'access', ?, ?, ?) ON DUPLICATE KEY UPDATE token = VALUES(token), secret_encrypted = VALUES(secret_encrypted), created_at = VALUES(created_at), revoked = 0",
        [
          consumer?.id,
          accessToken,
          secretBox.encrypt(accessTokenSecret, 'oauth_token.secret'),
          new Date(),
        ],
      );
      await connection.query(
        "INSERT INTO audit_log (action, admin_id, admin_username, integration_id, integration_name) VALUES ('INTEGRATION_REAUTHORIZED', ?, ?, ?, ?)",
        [actor.id, actor.username, id, integration.name],
      );
      await connection.query('COMMIT');
      return {
        integrationReauthorize: { credentials: { accessToken, accessTokenSecret }, errors: [] },
      };
    } catch (error) {
      await connection.query('ROLLBACK');
      throw error;
    } finally {
      pooled.release();
    }
  },

  s6a: (req, variables, hasBody) => orderPage(req, '/s6a', variables, hasBody),
  s6b: (req, variables, hasBody) => orderPage(req, '/s6b', variables, hasBody),
};

async function orderPage(
  req: IncomingMessage,
  path: string,
  variables: Record<string, unknown>,
  hasBody: boolean,
) {
  requireResources(await signed(req, path, hasBody), 'Magento_Sales::actions_view');
  const after = typeof variables.after === 'string' ? variables.after : null;
  const beforeId = after ? Number(cursors.decode(after)?.[0]) : null;
  const list = await rows(
    `SELECT id, increment_id, status, grand_total FROM sales_order ${beforeId ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT 51`,
    beforeId ? [beforeId] : [],
  );
  const page = list.slice(0, 50);
  const last = page.at(-1);
  return {
    orders: {
      nodes: page.map((o) => ({
        incrementId: o.increment_id,
        status: o.status,
        grandTotal: Number(o.grand_total),
      })),
      pageInfo: {
        hasNextPage: list.length > 50,
        endCursor: last ? cursorOf(Number(last.id)) : null,
      },
    },
  };
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/ready') return send(res, 200, { ready: true });
  if (path === '/stats') return send(res, 200, { statements });
  const handler = handlers[path.slice(1)];
  if (!handler || req.method !== 'POST')
    return send(res, 404, { errors: [{ message: 'no route' }] });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  try {
    const { variables } = JSON.parse(body.toString('utf8')) as {
      variables?: Record<string, unknown>;
    };
    send(res, 200, { data: await handler(req, variables ?? {}, body.length > 0) });
  } catch (error) {
    const status = error instanceof Refusal ? error.status : 500;
    if (status === 500) process.stderr.write(`baseline error: ${String(error)}\n`);
    send(res, status, { errors: [{ message: 'refused', extensions: { status } }] });
  }
}

const server = createServer((req, res) => void handle(req, res));
server.listen(Number(env('PORT')), '127.0.0.1', () => process.stdout.write('baseline ready\n'));
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
