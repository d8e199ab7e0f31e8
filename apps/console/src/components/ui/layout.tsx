import type { ReactNode } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useCan } from '../../lib/session.ts';
import { ThemeToggle } from './theme-toggle.tsx';
import { Toaster } from './toaster.tsx';

/**
 * The console frame: skip link, header with navigation (and `headerExtra`, the signed-in user's
 * `userMenu`), main region. Users and API keys show for admins only.
 */
export function AppLayout({
  children,
  headerExtra,
  userMenu,
}: {
  children?: ReactNode;
  headerExtra?: ReactNode;
  userMenu?: ReactNode;
}) {
  const isAdmin = useCan('admin');
  const canWrite = useCan('write');
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/meshes" className="brand" aria-label="Meshdeck home">
          <img src="/favicon.svg" alt="" width="20" height="20" />
          <span>Meshdeck</span>
        </NavLink>
        <nav className="app-nav" aria-label="Main">
          <NavLink to="/meshes">Meshes</NavLink>
          {canWrite ? <NavLink to="/import">Import</NavLink> : null}
          <NavLink to="/audit">Audit</NavLink>
          {isAdmin ? <NavLink to="/users">Users</NavLink> : null}
        </nav>
        {headerExtra}
        <ThemeToggle />
        {userMenu}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children ?? <Outlet />}
      </main>
      <Toaster />
    </div>
  );
}

export function PageHeader({
  title,
  eyebrow,
  actions,
  children,
}: {
  title: ReactNode;
  eyebrow?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-header__text">
        {eyebrow ? <div className="page-header__eyebrow">{eyebrow}</div> : null}
        <h1>{title}</h1>
        {children}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}
