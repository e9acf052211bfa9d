import { Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useMe, useNotifications, useSwitchWorkspace } from '../api/hooks';
import { useLive } from '../api/live';
import type { Me } from '../api/types';
import { UPCOMING } from '../features';
import { applyTheme, savedTheme, type ThemeChoice } from '../lib/theme';

const NAV = [
  { to: '/overview', label: 'Overview' },
  { to: '/events', label: 'Events' },
  { to: '/runs', label: 'Runs' },
  { to: '/tools', label: 'Tools' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/notifications', label: 'Notifications' },
];
const SETTINGS = [
  { to: '/keys', label: 'API keys' },
  { to: '/members', label: 'Members' },
  { to: '/settings/agents', label: 'Agents' },
  { to: '/settings/providers', label: 'Model providers' },
  { to: '/integrations', label: 'Integrations' },
  { to: '/channels', label: 'Channels' },
  { to: '/billing', label: 'Billing' },
];

function WorkspaceSwitcher({ me }: { me: Me }) {
  const switcher = useSwitchWorkspace();
  const navigate = useNavigate();
  if (!me.workspace) return null;
  return (
    <label className="inline">
      <span className="visually-hidden">Workspace</span>
      <select
        aria-label="Workspace"
        value={me.workspace.id}
        disabled={switcher.isPending}
        onChange={(e) => switcher.mutate(e.target.value, { onSuccess: () => navigate('/overview') })}
      >
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
    </label>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState<ThemeChoice>(savedTheme);
  const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
  return (
    <button
      type="button"
      onClick={() => {
        const value = next[theme];
        applyTheme(value);
        setTheme(value);
      }}
      aria-label={`Theme: ${theme}. Switch to ${next[theme]}`}
      title={`Theme: ${theme}`}
    >
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} <span className="hide-narrow">{theme}</span>
    </button>
  );
}

function NotificationBell() {
  const unread = useNotifications('unread', 20);
  const live = useLive();
  const count = unread.data?.unread ?? 0;
  return (
    <NavLink
      to="/notifications"
      className="button bell"
      aria-label={`Notifications, ${count} unread`}
      data-testid="notification-bell"
    >
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {count > 0 && (
        <span className="count-badge" data-testid="unread-badge">
          {count > 99 ? '99+' : count}
        </span>
      )}
      <span className="visually-hidden" aria-live="polite">
        {live.latest ? `New notification: ${live.latest.title}` : ''}
      </span>
    </NavLink>
  );
}

function Toast() {
  const { latest } = useLive();
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    if (!latest) return;
    setShown(latest.id);
    const timer = setTimeout(() => setShown(null), 6000);
    return () => clearTimeout(timer);
  }, [latest]);
  if (!latest || shown !== latest.id) return null;
  return (
    <div className={`toast callout ${latest.severity === 'critical' ? 'danger' : latest.severity === 'warning' ? 'warn' : ''}`} role="status">
      <strong>{latest.title}</strong>
      <div className="small">{latest.body}</div>
    </div>
  );
}

export function Layout() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [menuOpen, setMenuOpen] = useState(false);
  const live = useLive();

  useEffect(() => setMenuOpen(false), [location.pathname]);

  const logout = async () => {
    try {
      await api<void>('/logout', { method: 'POST' });
    } finally {
      client.clear();
      navigate('/sign-in');
    }
  };

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="header">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((v) => !v)}
        >
          ☰ <span className="visually-hidden">Menu</span>
        </button>
        <NavLink to="/overview" className="brand">
          <span className="brand-dot" aria-hidden="true" /> Beacon
        </NavLink>
        {me.data && <WorkspaceSwitcher me={me.data} />}
        <div className="header-spacer" />
        <span className={`live-dot ${live.metrics} hide-narrow`} title="Dashboard updates">
          {live.metrics === 'live' ? 'Live' : live.metrics === 'polling' ? 'Live (polling)' : 'Connecting…'}
        </span>
        <NotificationBell />
        <ThemeToggle />
        {me.data && (
          <span className="muted small hide-narrow" title={me.data.role ?? ''}>
            {me.data.user.email}
          </span>
        )}
        <button type="button" onClick={logout}>
          Sign out
        </button>
      </header>
      <nav id="sidebar" className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
        <div className="nav-section">Workspace</div>
        <ul>
          {SETTINGS.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
        <div className="nav-section">Chat</div>
        <ul>
          {UPCOMING.filter((item) => item.enabled).map((item) => (
            <li key={item.path}>
              <NavLink to={item.path}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
        {UPCOMING.some((item) => !item.enabled) && (
          <>
            <div className="nav-section">Coming soon</div>
            <ul>
              {UPCOMING.filter((item) => !item.enabled).map((item) => (
                <li key={item.path}>
                  <NavLink to={item.path}>
                    {item.label} <span className="soon">soon</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </>
        )}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense
          fallback={
            <div aria-busy="true" className="panel">
              <div className="skeleton" />
              <div className="skeleton" style={{ width: '60%' }} />
            </div>
          }
        >
          <Outlet />
        </Suspense>
      </main>
      <Toast />
    </div>
  );
}
