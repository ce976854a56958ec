/** Pages of the console, kept in the URL fragment (never anything secret in it). */
export type Route =
  | { page: 'integrations' }
  | { page: 'new' }
  | { page: 'edit'; id: string }
  | { page: 'security' }
  | { page: 'audit' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/integrations/new') return { page: 'new' };
  const edit = /^\/integrations\/([^/]+)\/edit$/.exec(path);
  if (edit?.[1]) return { page: 'edit', id: decodeURIComponent(edit[1]) };
  if (path === '/security') return { page: 'security' };
  if (path === '/audit') return { page: 'audit' };
  return { page: 'integrations' };
}

export const href = {
  integrations: '#/integrations',
  newIntegration: '#/integrations/new',
  edit: (id: string) => `#/integrations/${encodeURIComponent(id)}/edit`,
  security: '#/security',
  audit: '#/audit',
};

function navigate(to: string): void {
  window.location.hash = to;
}

let flash: string | undefined;
let activation: string | undefined;

/** After "Save & Activate": the grid opens the activation of this integration. */
export function activateNext(id: string): void {
  activation = id;
}
export function takeActivation(): string | undefined {
  const id = activation;
  activation = undefined;
  return id;
}

/** A message for the next page to show ("The integration 'X' has been saved."), in memory only. */
export function navigateWithMessage(to: string, message: string): void {
  flash = message;
  navigate(to);
}
export function takeMessage(): string | undefined {
  const message = flash;
  flash = undefined;
  return message;
}
