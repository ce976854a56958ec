/** Additional authenticated data of stored secrets: a value only decrypts in its own column. */
export const CONSUMER_SECRET_PURPOSE = 'oauth_consumer.secret';
export const TOKEN_SECRET_PURPOSE = 'oauth_token.secret';
export const OUTBOX_VERIFIER_PURPOSE = 'callback_outbox.verifier';
