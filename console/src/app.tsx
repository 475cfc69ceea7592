import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, errorMessage, onUnauthorized, setCsrfToken, urls } from './api';
import { ROLE_NAMES, roleAllows } from './format';
import { href, useRoute, type Route } from './router';
import { Account } from './screens/account';
import { CampaignComposer } from './screens/campaign-compose';
import { CampaignDetail } from './screens/campaign-detail';
import { CampaignList } from './screens/campaigns';
import { Dashboard } from './screens/dashboard';
import { EventDetail, EventEditor, EventList, EventReportView } from './screens/events';
import { FlowEditor, FlowList } from './screens/flows';
import { Inbox } from './screens/inbox';
import { KnowledgeHome } from './screens/knowledge';
import { LeafletEditor } from './screens/leaflet-editor';
import { LexiconEditor } from './screens/lexicon';
import { Login } from './screens/login';
import { MinimumWage } from './screens/minimum-wage';
import { Subscribers } from './screens/subscribers';
import { SurveyComposer, SurveyDetail, SurveyList } from './screens/surveys';
import { Tickets } from './screens/tickets';
import { Users } from './screens/users';
import type { Role, Session } from './types';
import { ErrorBanner, Loading, SessionContext, sessionValue } from './ui';

interface NavItem {
  id: string;
  label: string;
  role: Role;
}

const NAV: NavItem[] = [
  { id: 'dashboard', label: 'Tổng quan', role: 'viewer' },
  { id: 'knowledge', label: 'Kiến thức', role: 'viewer' },
  { id: 'campaigns', label: 'Chiến dịch', role: 'viewer' },
  { id: 'events', label: 'Sự kiện, lớp học', role: 'viewer' },
  { id: 'surveys', label: 'Khảo sát', role: 'viewer' },
  { id: 'inbox', label: 'Hộp thư', role: 'officer' },
  { id: 'tickets', label: 'Phản ánh', role: 'officer' },
  { id: 'subscribers', label: 'Người nhận tin', role: 'viewer' },
  { id: 'minimum-wage', label: 'Lương tối thiểu', role: 'viewer' },
  { id: 'users', label: 'Người dùng', role: 'admin' },
];

/** Which role a screen needs (the server checks again; this only hides what would be refused). */
const SCREEN_ROLE: Record<string, Role> = {
  ...Object.fromEntries(NAV.map((n) => [n.id, n.role])),
  account: 'viewer',
};

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | undefined>(undefined);
  const route = useRoute();

  const signedIn = useCallback((s: Session) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(undefined);
    setSession(null);
  }, []);

  useEffect(() => {
    onUnauthorized(signedOut);
    api
      .me()
      .then(signedIn)
      .catch((err: unknown) => {
        if ((err as { status?: number }).status !== 401) setBootError(errorMessage(err));
        signedOut();
      });
  }, [signedIn, signedOut]);

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => undefined)
      .finally(signedOut);
  }, [signedOut]);

  const value = useMemo(() => (session ? sessionValue(session.user, logout) : undefined), [session, logout]);

  if (session === undefined) {
    return (
      <main class="login">
        <Loading what="phiên đăng nhập" />
      </main>
    );
  }
  if (!session || !value) {
    return (
      <>
        <ErrorBanner error={bootError} />
        <Login onLogin={signedIn} />
      </>
    );
  }

  return (
    <SessionContext.Provider value={value}>
      <Shell route={route} role={session.user.role} name={session.user.name} logout={logout}>
        <Screen route={route} role={session.user.role} />
      </Shell>
    </SessionContext.Provider>
  );
}

function Shell({
  route,
  role,
  name,
  logout,
  children,
}: {
  route: Route;
  role: Role;
  name: string;
  logout: () => void;
  children: ComponentChildren;
}) {
  const current = route.path[0] ?? 'dashboard';
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={skipToMain}>
        Bỏ qua, tới nội dung chính
      </a>
      <header class="topbar">
        <a class="brand" href={href(['dashboard'])}>
          Trợ lý Công đoàn
        </a>
        <nav class="nav" aria-label="Chức năng chính">
          <ul>
            {NAV.filter((n) => roleAllows(role, n.role)).map((n) => (
              <li key={n.id}>
                <a
                  href={href([n.id])}
                  data-testid={`nav-${n.id}`}
                  aria-current={current === n.id ? 'page' : undefined}
                >
                  {n.label}
                </a>
              </li>
            ))}
            {role === 'admin' && (
              <li>
                <a href={urls.queues()} target="_blank" rel="noopener">
                  Hàng đợi
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div class="whoami">
          <a href={href(['account'])} title="Tài khoản của tôi, mã API">
            {name} <span class="badge">{ROLE_NAMES[role]}</span>
          </a>
          <button type="button" class="btn btn--ghost" data-testid="logout" onClick={logout}>
            Đăng xuất
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function skipToMain(e: Event) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

function Screen({ route, role }: { route: Route; role: Role }) {
  const [screen = 'dashboard', a, b] = route.path;
  const needed = SCREEN_ROLE[screen];
  if (!needed) return <NotFound />;
  if (!roleAllows(role, needed)) return <Forbidden role={role} />;
  switch (screen) {
    case 'dashboard':
      return <Dashboard />;
    case 'knowledge':
      if (a === 'new') return <LeafletEditor key="new" />;
      if (a === 'edit' && b) {
        const add = route.params.get('add') ?? undefined;
        return <LeafletEditor key={`${b}:${add ?? ''}`} id={b} add={add} />;
      }
      if (a === 'lexicon') return <LexiconEditor />;
      if (a === 'flows') return b ? <FlowEditor key={b} id={b} /> : <FlowList />;
      return <KnowledgeHome />;
    case 'campaigns':
      if (a === 'new') {
        const invite = route.params.get('invite') ?? undefined;
        const title = route.params.get('title') ?? undefined;
        return (
          <CampaignComposer key={`${invite ?? ''}:${title ?? ''}`} invite={invite} inviteTitle={title} />
        );
      }
      if (a) return <CampaignDetail key={a} id={a} />;
      return <CampaignList />;
    case 'events':
      if (a === 'new')
        return roleAllows(role, 'officer') ? <EventEditor key="new" /> : <Forbidden role={role} />;
      if (a === 'report') return <EventReportView />;
      if (a && b === 'edit')
        return roleAllows(role, 'officer') ? <EventEditor key={a} id={a} /> : <Forbidden role={role} />;
      if (a) return <EventDetail key={a} id={a} />;
      return <EventList />;
    case 'surveys':
      if (a === 'new') return roleAllows(role, 'officer') ? <SurveyComposer /> : <Forbidden role={role} />;
      if (a) return <SurveyDetail key={a} id={a} />;
      return <SurveyList />;
    case 'minimum-wage':
      return <MinimumWage />;
    case 'inbox':
      return <Inbox selected={a} />;
    case 'tickets':
      return <Tickets selected={a} />;
    case 'subscribers':
      return <Subscribers />;
    case 'users':
      return <Users />;
    case 'account':
      return <Account />;
    default:
      return <NotFound />;
  }
}

function Forbidden({ role }: { role: Role }) {
  return (
    <section class="page">
      <h1>Không có quyền</h1>
      <p>Vai trò của bạn ({ROLE_NAMES[role]}) không được xem trang này.</p>
    </section>
  );
}

function NotFound() {
  return (
    <section class="page">
      <h1>Không tìm thấy trang</h1>
      <p>
        <a href={href(['dashboard'])}>Về trang tổng quan</a>
      </p>
    </section>
  );
}
