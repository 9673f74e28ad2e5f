import { useMemo, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Provider } from 'urql';
import { createApiClient } from './api/client';
import { AuditHome } from './audit/AuditHome';
import { AuditReferralPage } from './audit/AuditReferralPage';
import { CallbackPage } from './auth/CallbackPage';
import { hasRole, homePath, type Role } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { useSession } from './auth/useSession';
import { DashboardPage } from './city/DashboardPage';
import { NewReferralPage } from './city/NewReferralPage';
import { TrackerPage } from './city/TrackerPage';
import { Layout } from './components/Layout';
import { NotFoundPage } from './NotFoundPage';
import { InboxPage } from './partner/InboxPage';
import { ReferralPage } from './referral/ReferralPage';

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/auth/callback" element={<CallbackPage />} />
        <Route path="*" element={<SignedIn />} />
      </Routes>
    </BrowserRouter>
  );
}

/** Everything behind sign-in, with a fresh GraphQL client (and cache) per signed-in user. */
function SignedIn() {
  const session = useSession();
  const location = useLocation();
  const client = useMemo(() => createApiClient(), [session?.token]);
  if (!session) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  const only = (roles: Role[], element: ReactNode) => (roles.some((role) => hasRole(session, role)) ? element : <NotFoundPage />);
  return (
    <Provider value={client}>
      <Routes>
        <Route element={<Layout session={session} />}>
          <Route index element={<Navigate to={homePath(session)} replace />} />
          <Route path="inbox" element={only(['partner_agent'], <InboxPage session={session} />)} />
          <Route path="referrals/:id" element={<ReferralPage session={session} key={location.pathname} />} />
          <Route path="city" element={only(['city_officer'], <TrackerPage session={session} />)} />
          <Route path="city/new" element={only(['city_officer'], <NewReferralPage session={session} />)} />
          <Route path="city/dashboard" element={only(['city_officer'], <DashboardPage session={session} />)} />
          <Route path="audit" element={only(['auditor', 'admin'], <AuditHome />)} />
          <Route path="audit/referrals/:id" element={only(['auditor', 'admin'], <AuditReferralPage key={location.pathname} />)} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Provider>
  );
}
