import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { clearSession, hasRole, type Session } from '../auth/session';
import { useOrganisation } from '../api/useOrganisation';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout({ session }: { session: Session }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const organisation = useOrganisation(session);
  const main = useRef<HTMLElement>(null);
  const shown = useRef(location.pathname);

  // After a client-side navigation to another page, move focus to its content (as a page load would).
  useEffect(() => {
    if (shown.current === location.pathname) return;
    shown.current = location.pathname;
    main.current?.focus();
  }, [location.pathname]);

  const links = [
    ...(hasRole(session, 'partner_agent') ? [{ to: '/inbox', label: t('nav.inbox') }] : []),
    ...(hasRole(session, 'city_officer')
      ? [
          { to: '/city', label: t('nav.cityReferrals'), end: true },
          { to: '/city/new', label: t('nav.newReferral') },
          { to: '/city/dashboard', label: t('nav.dashboard') },
        ]
      : []),
    ...(hasRole(session, 'auditor') || hasRole(session, 'admin') ? [{ to: '/audit', label: t('nav.audit') }] : []),
  ];
  const role = session.roles[0];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </div>
          <div className="header-tools">
            <p className="who">
              <span className="who-name">{t('app.signedInAs', { name: session.displayName })}</span>
              <span className="who-org">
                {organisation?.name ?? session.organisationName ?? session.organisationId}
                {role ? ` · ${t(`roles.${role}`)}` : ''}
              </span>
            </p>
            <LanguageSwitch />
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                clearSession();
                navigate('/sign-in');
              }}
            >
              {t('app.signOut')}
            </button>
          </div>
        </div>
        <nav className="main-nav" aria-label={t('app.mainNavigation')}>
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end ?? false}>
                  {link.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
