import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { aclNote, requireResource } from '../../src/permissions/acl-rules.js';
import { applyPermissions } from '../../src/permissions/shield.js';

describe('ACL resource rules', () => {
  it('refuses a resource id that is not in the resource tree', () => {
    expect(() => requireResource('Magento_Sales::action_view')).toThrow(
      'Unknown ACL resource "Magento_Sales::action_view"',
    );
    expect(() => requireResource('Magento_Backend::admin', { guests: true })).toThrow(
      'Unknown ACL resource',
    );
  });

  it('writes the description note from the rule', () => {
    expect(aclNote(requireResource('Magento_Sales::hold'))).toBe(
      'Requires ACL resource `Magento_Sales::hold`',
    );
  });

  it('says in the note of a rule open to guests that it is, and what they see', () => {
    expect(
      aclNote(requireResource('Magento_Cms::page', { guests: true }), 'active items only'),
    ).toBe(
      'Requires ACL resource `Magento_Cms::page`; open to guests when guest access is on (active items only)',
    );
  });

  it.each([
    ['open to guests, whose rule is not', 'Magento_Sales::actions_view', false, 'open'],
    ['closed to guests, whose rule opens to them', 'Magento_Catalog::products', true, 'closed'],
  ])('refuses a field documented as %s', (_, resource, guests, documented) => {
    const note = documented === 'open' ? '; open to guests when guest access is on' : '';
    const schema = buildSchema(
      `type Query { "Items. Requires ACL resource \`${resource}\`${note}." items: Int }`,
    );
    const tree = { Query: { items: requireResource(resource, { guests }) } };

    expect(() => applyPermissions(schema, tree)).toThrow(
      `Query.items is documented as ${documented} to guests, but its rule is not`,
    );
  });

  it('refuses a field documented with another resource than its rule requires', () => {
    // given
    const schema = buildSchema(`
      type Query {
        "Orders. Requires ACL resource \`Magento_Sales::hold\`."
        orders: Int
      }
    `);
    const tree = { Query: { orders: requireResource('Magento_Sales::actions_view') } };

    // when
    const guard = () => applyPermissions(schema, tree);

    // then
    expect(guard).toThrow(
      'Query.orders is documented as requiring Magento_Sales::hold, but its rule requires Magento_Sales::actions_view',
    );
  });

  it('refuses a field guarded by an ACL rule that its description does not name', () => {
    const schema = buildSchema('type Query { "Orders." orders: Int }');
    const tree = { Query: { orders: requireResource('Magento_Sales::actions_view') } };

    expect(() => applyPermissions(schema, tree)).toThrow(
      'Query.orders is documented as requiring no ACL resource, but its rule requires Magento_Sales::actions_view',
    );
  });
});
