import { builder } from '../graphql/builder.js';
import { aclNote } from '../permissions/acl-rules.js';
import { READ_STORES } from './permissions.js';
import type { StoreConfigRow, StoreViewRow } from './store-repository.js';

const StoreViewType = builder.objectRef<StoreViewRow>('StoreView').implement({
  description:
    'A store view (language or presentation of a store), with its store group and website.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Identifier.' }),
    code: t.exposeString('code', { description: 'Code, unique (e.g. `default`).' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    sortOrder: t.exposeInt('sortOrder', { description: 'Position in lists.' }),
    isActive: t.exposeBoolean('isActive', { description: 'Serving the storefront.' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'The default store view.' }),
    groupCode: t.exposeString('groupCode', { description: 'Code of its store group.' }),
    groupName: t.exposeString('groupName', { description: 'Name of its store group.' }),
    websiteCode: t.exposeString('websiteCode', { description: 'Code of its website.' }),
    websiteName: t.exposeString('websiteName', { description: 'Name of its website.' }),
  }),
});

const StoreConfigType = builder.objectRef<StoreConfigRow>('StoreConfig').implement({
  description: 'Configuration of a store view.',
  fields: (t) => ({
    storeCode: t.exposeString('storeCode', { description: 'Code of the store view.' }),
    storeName: t.exposeString('storeName', { description: 'Store name shown to customers.' }),
    baseCurrency: t.exposeString('baseCurrency', { description: 'ISO 4217 base currency.' }),
    locale: t.exposeString('locale', { description: 'Locale, e.g. `en_US`.' }),
    timezone: t.exposeString('timezone', { description: 'IANA time zone.' }),
    baseUrl: t.exposeString('baseUrl', { description: 'Storefront base URL.' }),
    secureBaseUrl: t.exposeString('secureBaseUrl', { description: 'Storefront secure base URL.' }),
  }),
});

builder.queryFields((t) => ({
  storeConfig: t.field({
    type: StoreConfigType,
    nullable: true,
    description: `Configuration of a store view (the default one without \`storeCode\`). ${aclNote(READ_STORES)}.`,
    args: { storeCode: t.arg.string({ description: 'Store view code.' }) },
    resolve: (_root, { storeCode }, ctx) => ctx.services.store.findStoreConfig(storeCode ?? null),
  }),
  storeViews: t.field({
    type: [StoreViewType],
    nullable: true,
    description: `All store views (configuration: a handful per installation). ${aclNote(READ_STORES)}.`,
    resolve: (_root, _args, ctx) => ctx.services.store.listStoreViews(),
  }),
}));
