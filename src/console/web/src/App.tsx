import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { request, setSessionListener } from './api.ts';
import { SignOut, ViewerQuery } from './documents.ts';
import { href, parseRoute, type Route } from './routes.ts';
import { SignInPage } from './SignInPage.tsx';
import { Notice } from './ui.tsx';

const IntegrationsPage = lazy(() => import('./IntegrationsPage.tsx'));
const IntegrationFormPage = lazy(() => import('./IntegrationFormPage.tsx'));
const SecurityPage = lazy(() => import('./SecurityPage.tsx'));
const AuditPage = lazy(() => import('./AuditPage.tsx'));

interface Viewer {
  id: string;
  username: string;
}

type Session =
  | { state: 'loading' }
  | { state: 'signedOut'; reason?: 'expired' | 'locked' | 'signedOut' }
  | { state: 'signedIn'; viewer: Viewer };

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

const TITLES: Record<Route['page'], string> = {
  integrations: 'Integrations',
  new: 'New Integration',
  edit: 'Edit Integration',
  security: 'Web API Security',
  audit: 'Audit Log',
};

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const route = useRoute();

  useEffect(() => {
    setSessionListener((reason) => setSession({ state: 'signedOut', reason }));
    request(ViewerQuery, {})
      .then(({ viewer }) =>
        setSession(viewer ? { state: 'signedIn', viewer } : { state: 'signedOut' }),
      )
      .catch(() => setSession({ state: 'signedOut' }));
  }, []);

  useEffect(() => {
    document.title = `${session.state === 'signedIn' ? TITLES[route.page] : 'Sign in'} · Integrations Gateway`;
  }, [route.page, session.state]);

  const signOut = useCallback(async () => {
    await request(SignOut, {}).catch(() => null);
    setSession({ state: 'signedOut', reason: 'signedOut' });
  }, []);

  if (session.state === 'loading') return <main className="loading">Loading…</main>;
  if (session.state === 'signedOut')
    return (
      <SignInPage
        reason={session.reason}
        onSignedIn={(viewer) => setSession({ state: 'signedIn', viewer })}
      />
    );

  const current = route.page === 'new' || route.page === 'edit' ? 'integrations' : route.page;
  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Integrations Gateway</span>
        <nav aria-label="Console">
          <a
            href={href.integrations}
            aria-current={current === 'integrations' ? 'page' : undefined}
          >
            Integrations
          </a>
          <a href={href.security} aria-current={current === 'security' ? 'page' : undefined}>
            Web API Security
          </a>
          <a href={href.audit} aria-current={current === 'audit' ? 'page' : undefined}>
            Audit Log
          </a>
          <a href="/graphql" target="_blank" rel="noopener noreferrer">
            GraphiQL
          </a>
        </nav>
        <span className="who">
          Signed in as <strong>{session.viewer.username}</strong>
        </span>
        <Button className="button" onPress={signOut}>
          Sign out
        </Button>
      </header>
      <main id="content" tabIndex={-1}>
        <Suspense fallback={<Notice tone="info">Loading…</Notice>}>
          {route.page === 'integrations' ? <IntegrationsPage /> : null}
          {route.page === 'new' ? <IntegrationFormPage key="new" /> : null}
          {route.page === 'edit' ? <IntegrationFormPage key={route.id} id={route.id} /> : null}
          {route.page === 'security' ? <SecurityPage /> : null}
          {route.page === 'audit' ? <AuditPage /> : null}
        </Suspense>
      </main>
    </div>
  );
}
