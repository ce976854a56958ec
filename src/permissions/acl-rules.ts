import { rule } from 'graphql-shield';
import { isGranted, isKnownResource } from '../acl/acl-index.js';
import type { Context } from '../api/context.js';
import { topLevelError, unauthenticated } from '../graphql/top-level-errors.js';
import type { ShieldRule } from './fragment.js';

const rules = new Map<string, ShieldRule>();
/** The ACL resource each rule built here requires, and whether it lets guests in. */
const accessOfRule = new Map<ShieldRule, { resourceId: string; guests: boolean }>();

const GUEST_ACCESS_OFF_MESSAGE =
  'Sign in or send a signed request: anonymous access to catalog, CMS and store data is off (security setting allowAnonymousGuestAccess).';

/**
 * The rule for a data field that needs ACL resource `resourceId`, one of the tree in
 * acl/resource-tree.ts (any other id throws, so a typo stops the app at startup). Admins hold
 * every resource; an integration needs the resource or an ancestor of it (or ALL); anonymous
 * callers pass only on fields open to guests, while the guest-access setting is on. Memoised
 * per resource with a unique name, so the per-request ('contextual') cache never mixes two
 * resources.
 */
export function requireResource(
  resourceId: string,
  access: { guests: boolean } = { guests: false },
): ShieldRule {
  if (!isKnownResource(resourceId)) {
    throw new Error(`Unknown ACL resource "${resourceId}": not a node of acl/resource-tree.ts`);
  }
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
    accessOfRule.set(found, { resourceId, guests: access.guests });
  }
  return found;
}

/** The ACL resource `rule` requires; undefined for a rule not built by requireResource. */
export function requiredResource(rule: ShieldRule | undefined): string | undefined {
  return rule === undefined ? undefined : accessOfRule.get(rule)?.resourceId;
}

/** Whether `rule` (built by requireResource) lets anonymous callers in while guest access is on. */
export function opensToGuests(rule: ShieldRule | undefined): boolean {
  return rule !== undefined && accessOfRule.get(rule)?.guests === true;
}

export const GUESTS_NOTE = 'open to guests when guest access is on';

/**
 * "Requires ACL resource `<id>`", and for a rule open to guests "; open to guests when guest
 * access is on" with what they see (`guestsSee`): the note in the description of a field guarded
 * by `rule`, written from the rule so that the schema's documentation cannot drift from it.
 */
export function aclNote(rule: ShieldRule, guestsSee?: string): string {
  const access = accessOfRule.get(rule);
  if (access === undefined) throw new Error('aclNote takes a rule built by requireResource');
  const note = `Requires ACL resource \`${access.resourceId}\``;
  if (!access.guests) return note;
  return `${note}; ${GUESTS_NOTE}${guestsSee ? ` (${guestsSee})` : ''}`;
}
