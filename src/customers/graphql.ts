import type { Page } from '../db/page.js';
import { CUSTOMER_GROUPS } from '../db/store-schema.js';
import { builder } from '../graphql/builder.js';
import { connectionType, pageArgs } from '../graphql/connection.js';
import { enumOf } from '../graphql/enum-of.js';
import { parseId } from '../graphql/ids.js';
import type { ColumnsOfFields } from '../graphql/selection.js';
import { aclNote } from '../permissions/acl-rules.js';
import type { AddressRow, CustomerRow } from './customer-repository.js';
import { MANAGE_CUSTOMERS } from './permissions.js';

const CustomerGroupEnum = enumOf(
  'CustomerGroup',
  'Customer group (pricing tier).',
  CUSTOMER_GROUPS,
);

const AddressType = builder.objectRef<AddressRow>('CustomerAddress').implement({
  description: 'A postal address of a customer.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    street: t.exposeString('street', { description: 'Street and number.' }),
    city: t.exposeString('city', { description: 'City.' }),
    postcode: t.exposeString('postcode', { description: 'Postal code.' }),
    countryId: t.exposeString('countryId', { description: 'ISO 3166-1 alpha-2 country.' }),
    telephone: t.exposeString('telephone', { nullable: true, description: 'Phone number.' }),
    isDefaultBilling: t.exposeBoolean('isDefaultBilling', {
      description: 'Default billing address.',
    }),
    isDefaultShipping: t.exposeBoolean('isDefaultShipping', {
      description: 'Default shipping address.',
    }),
  }),
});

/** The row properties each Customer field reads; addresses and orders load by id. */
export const CUSTOMER_FIELD_COLUMNS: ColumnsOfFields<CustomerRow> = {
  id: ['id'],
  email: ['email'],
  firstname: ['firstname'],
  lastname: ['lastname'],
  group: ['group'],
  createdAt: ['createdAt'],
  addresses: [],
  orders: [],
};

export const CustomerType = builder.objectRef<CustomerRow>('Customer').implement({
  description: 'A registered customer.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    email: t.exposeString('email', { description: 'Email address, unique.' }),
    firstname: t.exposeString('firstname', { description: 'First name.' }),
    lastname: t.exposeString('lastname', { description: 'Last name.' }),
    group: t.expose('group', { type: CustomerGroupEnum, description: 'Customer group.' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the account was created.',
    }),
    addresses: t.field({
      type: [AddressType],
      description: 'Postal addresses.',
      resolve: (customer, _args, ctx) => ctx.loaders.addressesOfCustomer.load(customer.id),
    }),
  }),
});

const CustomerConnection = connectionType<CustomerRow, Page<CustomerRow>>(
  'Customer',
  CustomerType,
  'customer',
);

const CustomerFilterInput = builder.inputType('CustomerFilter', {
  description: 'Narrows the customer list; all given conditions must hold.',
  fields: (t) => ({
    emailContains: t.string({ description: 'Email contains this text.' }),
    group: t.field({ type: CustomerGroupEnum, description: 'Only this group.' }),
    createdFrom: t.field({ type: 'DateTime', description: 'Created at or after.' }),
    createdTo: t.field({ type: 'DateTime', description: 'Created at or before.' }),
  }),
});

const RESOURCE = `${aclNote(MANAGE_CUSTOMERS)}.`;

builder.queryFields((t) => ({
  customers: t.field({
    type: CustomerConnection,
    nullable: true,
    description: `Customers by id. ${RESOURCE}`,
    args: {
      filter: t.arg({ type: CustomerFilterInput, description: 'Conditions to match.' }),
      ...pageArgs(t.arg),
    },
    resolve: (_root, args, ctx) => ctx.services.customers.listCustomers(args),
  }),
  customer: t.field({
    type: CustomerType,
    nullable: true,
    description: `One customer by id, or null. ${RESOURCE}`,
    args: { id: t.arg.id({ required: true, description: 'Customer id.' }) },
    resolve: (_root, { id }, ctx) => ctx.loaders.customer(null).load(parseId(id, 'a customer')),
  }),
}));
