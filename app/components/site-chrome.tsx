import { Form, Link, NavLink, useLocation } from "@remix-run/react";

export interface HeaderUser {
  name: string;
  email: string;
  roles: string[];
}

export function Logo() {
  return (
    <Link to="/" className="logo" aria-label="Colecta home">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#0b5d4b" />
        <path d="M21.5 11.2a7 7 0 1 0 0 9.6" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
        <circle cx="22.4" cy="16" r="2.2" fill="#f5b83d" />
      </svg>
      <span>Colecta</span>
    </Link>
  );
}

export function SiteHeader({ user, demoMode }: { user: HeaderUser | null; demoMode: boolean }) {
  const location = useLocation();
  const here = location.pathname + location.search;
  const back = here.startsWith("/login") || here.startsWith("/signup") ? undefined : here;
  const query = back && back !== "/" ? `?${new URLSearchParams({ redirectTo: back })}` : "";
  return (
    <header className="site-header">
      <div className="container header-row">
        <Logo />
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/discover">Discover</NavLink>
          <NavLink to="/creator">Start a project</NavLink>
          {user ? <NavLink to="/me/pledges">My pledges</NavLink> : null}
          {user && demoMode ? <NavLink to="/mailbox">Mailbox</NavLink> : null}
          {user?.roles.includes("finance") ? <NavLink to="/finance">Finance</NavLink> : null}
        </nav>
        <div className="account-nav">
          {user ? (
            <>
              <span className="signed-in-as" title={user.email}>
                <span className="avatar" aria-hidden="true">
                  {user.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="signed-in-name">{user.name}</span>
              </span>
              <Form method="post" action="/logout">
                <button type="submit" className="button button-ghost">
                  Sign out
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to={`/login${query}`} className="button button-ghost">
                Sign in
              </Link>
              <Link to={`/signup${query}`} className="button button-primary">
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container footer-row">
        <div>
          <strong>Colecta</strong>
          <p className="muted">
            Crowdfunding for innovation projects. Backers are charged only under the terms shown on each project.
          </p>
        </div>
        <p className="muted small">
          Payments by Stripe (test mode). No real money moves on this site.
          <br />© {new Date().getFullYear()} Colecta
        </p>
      </div>
    </footer>
  );
}
