import { it } from 'vitest';
import { adminApp, postGraphql } from '../support/oauth-flow.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';
it('x', async () => {
  const admin = await adminApp();
  for (const body of [
    `{"query":"{ viewer { username } }","variables":{"__proto__":{"polluted":1}}}`,
    `{"query":"{ viewer { username } }","variables":{"constructor":{"prototype":{"polluted":1}}}}`,
    `{"query":"{ viewer { username } }","__proto__":{"polluted":1}}`,
    `{"query":"{ viewer { username } }","extensions":{"__proto__":{"polluted":1}}}`,
  ]) {
    const r = await postGraphql(admin.t, body, { authorization: `Bearer ${admin.token}` });
    console.log('R', r.status, r.text);
  }
  const s = (v: string) => admin.t.gql(`mutation M($i: IntegrationCreateInput!) { integrationCreate(input: $i) { integration { name email callbackUrl identityLinkUrl } errors { code field } } }`, { i: { name: 'x' + Math.random(), resourceAccess: 'ALL', currentPassword: ADMIN_PASSWORD, [v]: v === 'email' ? 'a\ud800b@example.com' : v === 'name' ? 'n\ud800' : 'https://e.example.com/a\ud800b' } }, { token: admin.token });
  for (const f of ['name', 'email', 'callbackUrl', 'identityLinkUrl']) console.log('F', f, JSON.stringify((await s(f)).data));
  for (const f of ['title', 'content', 'metaTitle', 'metaDescription']) {
    const r = await admin.t.gql(`mutation S($i: CmsPageSaveInput!) { cmsPageSave(input: $i) { cmsPage { title content metaTitle metaDescription } errors { code field } } }`, { i: { identifier: 'p', title: 't', content: 'c', [f]: 'x\ud800y' } }, { token: admin.token });
    console.log('C', f, JSON.stringify(r.data));
  }
});
