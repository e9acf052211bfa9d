import { lazy, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { useMe } from './api/hooks';
import { LiveProvider } from './api/live';
import { Layout } from './components/Layout';
import { errorText } from './components/Panel';
import { SignIn } from './pages/SignIn';
import { Overview } from './pages/Overview';
import { UPCOMING } from './features';

// Overview is in the main bundle (it is the landing page); the rest load on first visit.
const AgentDetail = lazy(() => import('./pages/AgentDetail'));
const Events = lazy(() => import('./pages/Events'));
const EventDetail = lazy(() => import('./pages/EventDetail'));
const Runs = lazy(() => import('./pages/Runs'));
const RunDetail = lazy(() => import('./pages/RunDetail'));
const Tools = lazy(() => import('./pages/Tools'));
const Alerts = lazy(() => import('./pages/Alerts'));
const AlertEditor = lazy(() => import('./pages/AlertEditor'));
const Notifications = lazy(() => import('./pages/Notifications'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));
const Members = lazy(() => import('./pages/Members'));
const ChatAgents = lazy(() => import('./pages/ChatAgents'));
const ChatProviders = lazy(() => import('./pages/ChatProviders'));
const Chat = lazy(() => import('./pages/Chat'));
const Approvals = lazy(() => import('./pages/Approvals'));
const Integrations = lazy(() => import('./pages/Integrations'));
const Channels = lazy(() => import('./pages/Channels'));
const Billing = lazy(() => import('./pages/Billing'));
const ComingSoon = lazy(() => import('./pages/ComingSoon'));

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        // a 4xx will not fix itself; a 5xx / unreachable service is retried twice, then the panel says so
        retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
    },
  });
}

function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  // While /api/me is on its way the page renders already, so its data requests start in parallel
  // with it (one round trip less to an interactive Overview); a 401 then sends the user to sign in.
  if (me.error) {
    if (me.error instanceof ApiError && me.error.status === 401) {
      return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
    }
    return (
      <div className="login-page">
        <div className="panel error" role="alert">
          {errorText(me.error)}
        </div>
      </div>
    );
  }
  if (me.data && !me.data.workspace) {
    return (
      <div className="login-page">
        <div className="panel" role="alert">
          You are not a member of any workspace. Ask a workspace owner to invite you.
        </div>
      </div>
    );
  }
  // the streams are opened per workspace: switching workspace reopens them for the new one
  return (
    <LiveProvider workspace={me.data?.workspace?.id ?? null} enabled={me.isSuccess}>
      {children}
    </LiveProvider>
  );
}

export function App({ client = createQueryClient() }: { client?: QueryClient }) {
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <Routes>
          <Route path="/sign-in" element={<SignIn />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to="/overview" replace />} />
            <Route path="/overview" element={<Overview />} />
            <Route path="/agents/:agentId" element={<AgentDetail />} />
            <Route path="/events" element={<Events />} />
            <Route path="/events/:eventId" element={<EventDetail />} />
            <Route path="/runs" element={<Runs />} />
            <Route path="/runs/:runId" element={<RunDetail />} />
            <Route path="/tools" element={<Tools />} />
            <Route path="/alerts" element={<Alerts />} />
            <Route path="/alerts/new" element={<AlertEditor />} />
            <Route path="/alerts/:ruleId" element={<AlertEditor />} />
            <Route path="/notifications" element={<Notifications />} />
            <Route path="/keys" element={<ApiKeys />} />
            <Route path="/members" element={<Members />} />
            <Route path="/settings/agents" element={<ChatAgents />} />
            <Route path="/settings/providers" element={<ChatProviders />} />
            <Route path="/chat" element={<Chat />} />
            <Route path="/chat/:conversationId" element={<Chat />} />
            <Route path="/approvals" element={<Approvals />} />
            <Route path="/integrations" element={<Integrations />} />
            <Route path="/channels" element={<Channels />} />
            <Route path="/billing" element={<Billing />} />
            {UPCOMING.filter((f) => !f.enabled).map((f) => (
              <Route key={f.path} path={f.path} element={<ComingSoon feature={f} />} />
            ))}
            <Route
              path="*"
              element={
                <div className="panel">
                  <h1>Page not found</h1>
                  <p>
                    <a href="/overview">Back to the overview</a>
                  </p>
                </div>
              }
            />
          </Route>
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
