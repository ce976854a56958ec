import { rule } from 'graphql-shield';
import { isGranted } from '../acl/acl-index.js';
import type { Context } from '../api/context.js';
import { topLevelError, unauthenticated } from '../graphql/top-level-errors.js';
import type { ShieldRule } from './fragment.js';

const rules = new Map<string, ShieldRule>();

export const GUEST_ACCESS_OFF_MESSAGE =
  'Sign in or send a signed request: anonymous access to catalog, CMS and store data is off (security setting allowAnonymousGuestAccess).';

/**
 * The rule for a data field that needs ACL resource `resourceId`. Admins hold every resource; an
 * integration needs the resource or an ancestor of it (or ALL); anonymous callers pass only on
 * fields open to guests, while the guest-access setting is on. Memoised per resource with a
 * unique name, so the per-request ('contextual') cache never mixes two resources.
 */
export function requireResource(
  resourceId: string,
  access: { guests: boolean } = { guests: false },
): ShieldRule {
  const name = `acl:${resourceId}${access.guests ? ':guests' : ''}`;
  let found = rules.get(name);
  if (!found) {
    found = rule(name, { cache: 'contextual' })(async (_parent, _args, ctx: Context) => {
      const { principal } = ctx;
      if (principal.kind === 'admin') return true;
      if (principal.kind === 'integration') {
        const { integration } = principal;
        if (integration.resourceAccess === 'ALL' || isGranted(resourceId, integration.resources))
          return true;
        return topLevelError(
          'FORBIDDEN',
          `The consumer isn't authorized to access ${resourceId}.`,
          {
            requiredResources: [resourceId],
          },
        );
      }
      if (access.guests && (await ctx.guestAccessAllowed())) return true;
      return access.guests ? unauthenticated(GUEST_ACCESS_OFF_MESSAGE) : unauthenticated();
    });
    rules.set(name, found);
  }
  return found;
}
