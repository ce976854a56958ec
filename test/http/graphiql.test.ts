import { beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

// What a browser sends when it navigates to a page (Chromium and Firefox both lead with text/html).
const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('GraphiQL page', () => {
  let t: TestApp;

  beforeEach(async () => {
    // Production (the test default) with GraphiQL switched on, as an operator may choose.
    t = await createTestApp({ GRAPHIQL: 'true' });
  });

  const get = (search: string, accept: string) =>
    t.app.yoga.fetch(`http://gateway.test/graphql${search}`, { headers: { accept } });

  // GraphiQL writes the document it ran into the address bar; reloading or bookmarking it
  // navigates to exactly these URLs.
  for (const search of [
    '',
    '?query=%7B%20__typename%20%7D',
    '?query=query%20Me%20%7B%20viewer%20%7B%20id%20%7D%20%7D&operationName=Me&variables=%7B%7D',
    '?query=not%20even%20graphql',
  ]) {
    it(`answers a browser navigation to /graphql${search} with the page`, async () => {
      const response = await get(search, BROWSER_ACCEPT);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/graphiql/i);
    });
  }

  it('still answers a GET query as JSON to a client that does not ask for HTML', async () => {
    const response = await get('?query=%7B%20__typename%20%7D', 'application/json');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('sends same-origin cookies and the CSRF header, so a console session signs GraphiQL in, and links to the console', async () => {
    const html = await (await get('', BROWSER_ACCEPT)).text();
    const options = JSON.parse(
      /renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*\}),\s*\);/s.exec(
        html,
      )?.[1] ?? '{}',
    );

    expect(options.credentials).toBe('same-origin');
    expect(options.additionalHeaders).toEqual({ 'x-graphql-yoga-csrf': 'graphiql' });
    expect(options.defaultQuery).toContain('https://gateway.test/admin');
    expect(options.defaultQuery).toMatch(/adminLogin\(input: \{[^}]*cookie: true/);
    expect(options.shouldPersistHeaders).toBe(false);
  });
});
