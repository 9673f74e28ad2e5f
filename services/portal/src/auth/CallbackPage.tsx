import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/ui';
import { completeOidcSignIn } from './oidc';
import { portalConfig } from './portal-config';
import { homePath, saveSession } from './session';

/** /auth/callback: where the OIDC provider sends the browser back with the authorization code. */
export function CallbackPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<Error | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        const config = await portalConfig();
        if (config.auth !== 'oidc' || !config.clientId) throw new Error(t('signIn.none'));
        const { session, returnTo } = await completeOidcSignIn({ ...config, clientId: config.clientId }, new URL(window.location.href));
        saveSession(session);
        navigate(returnTo && returnTo !== '/' ? returnTo : homePath(session), { replace: true });
      } catch (caught) {
        setError((caught as Error).message === 'NO_ROLE' ? new Error(t('signIn.noRole')) : (caught as Error));
      }
    })();
  }, [navigate, t]);

  return (
    <main id="main" className="signin-main">
      <div className="panel signin-panel">
        <h1>{error ? t('signIn.callbackFailed') : t('signIn.callback')}</h1>
        {error ? (
          <>
            <ErrorMessage error={error} />
            <a href="/sign-in">{t('signIn.title')}</a>
          </>
        ) : (
          <Loading />
        )}
      </div>
    </main>
  );
}
