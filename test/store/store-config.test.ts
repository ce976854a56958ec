import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminApp } from '../support/admin-client.js';
import { demoStoreApp } from '../support/store.js';

const STORE_CONFIG = /* GraphQL */ `
  query Config($storeCode: String) {
    storeConfig(storeCode: $storeCode) {
      storeCode storeName baseCurrency locale timezone baseUrl secureBaseUrl
    }
  }
`;
const STORE_VIEWS = /* GraphQL */ `
  {
    storeViews {
      code name sortOrder isActive isDefault groupCode groupName websiteCode websiteName
    }
  }
`;

describe('storeConfig and storeViews, as an admin', () => {
  let admin: AdminApp;

  beforeEach(async () => {
    admin = await demoStoreApp();
  });

  it('returns the default store view configuration without storeCode', async () => {
    // when
    const response = await admin.gql(STORE_CONFIG);

    // then
    expect(response.errors).toBeUndefined();
    expect(response.data?.storeConfig).toEqual({
      storeCode: 'default',
      storeName: 'Demo Store English',
      baseCurrency: 'USD',
      locale: 'en_US',
      timezone: 'America/Chicago',
      baseUrl: 'http://shop.example.com/default/',
      secureBaseUrl: 'https://shop.example.com/default/',
    });
  });

  it("returns the configuration of store view 'sv' by storeCode", async () => {
    const response = await admin.gql(STORE_CONFIG, { storeCode: 'sv' });
    expect(response.data?.storeConfig).toEqual({
      storeCode: 'sv',
      storeName: 'Demo Store Svenska',
      baseCurrency: 'SEK',
      locale: 'sv_SE',
      timezone: 'Europe/Stockholm',
      baseUrl: 'http://shop.example.com/sv/',
      secureBaseUrl: 'https://shop.example.com/sv/',
    });
  });

  it('returns null for an unknown store code', async () => {
    const response = await admin.gql(STORE_CONFIG, { storeCode: 'xx' });
    expect(response.errors).toBeUndefined();
    expect(response.data?.storeConfig).toBeNull();
  });

  it('lists the 3 store views with their group and website', async () => {
    // when
    const response = await admin.gql(STORE_VIEWS);

    // then
    expect(response.errors).toBeUndefined();
    const group = {
      isActive: true,
      groupCode: 'main_store',
      groupName: 'Main Store',
      websiteCode: 'base',
      websiteName: 'Main Website',
    };
    expect(response.data?.storeViews).toEqual([
      { code: 'default', name: 'English', sortOrder: 0, isDefault: true, ...group },
      { code: 'sv', name: 'Svenska', sortOrder: 1, isDefault: false, ...group },
      { code: 'de', name: 'Deutsch', sortOrder: 2, isDefault: false, ...group },
    ]);
  });
});
