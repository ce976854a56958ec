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
