import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Field, Loading } from '../components/ui';
import { startOidcSignIn } from './oidc';
import { devIdentities, devToken, portalConfig, type DevIdentityOrganisation, type PortalConfig } from './portal-config';
import { homePath, ROLES, saveSession, takeExpiredNotice, type Role } from './session';

/** Sign-in: the development issuer (choose an organisation and a member) or the OIDC provider. */
export function SignInPage() {
  const { t } = useTranslation();
  const [config, setConfig] = useState<PortalConfig | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [expired] = useState(() => takeExpiredNotice());
  const location = useLocation();
  const returnTo = (location.state as { from?: string } | null)?.from ?? null;

  useEffect(() => {
    portalConfig().then(setConfig, setError);
  }, []);

  return (
    <div className="signin-page">
      <header className="signin-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="main" className="signin-main">
        <div className="panel signin-panel">
          <h1>{t('signIn.title')}</h1>
          <p>{t('signIn.intro')}</p>
          {expired ? (
            <div className="alert alert-warning" role="alert">
              <p>{t('signIn.expired')}</p>
            </div>
          ) : null}
          <ErrorMessage error={error} />
          {!config && !error ? <Loading /> : null}
          {config?.auth === 'development' ? <DevelopmentSignIn returnTo={returnTo} /> : null}
          {config?.auth === 'oidc' ? <OidcSignIn config={config} returnTo={returnTo} /> : null}
          {config?.auth === 'none' ? (
            <div className="alert alert-warning" role="alert">
              <p>{t('signIn.none')}</p>
            </div>
          ) : null}
        </div>
      </main>
    </div>
  );
}

function OidcSignIn({ config, returnTo }: { config: Extract<PortalConfig, { auth: 'oidc' }>; returnTo: string | null }) {
  const { t } = useTranslation();
  const [error, setError] = useState<Error | null>(null);
  const clientId = config.clientId;
  if (!clientId) {
    return (
      <div className="alert alert-warning" role="alert">
        <p>{t('signIn.oidcMissingClient')}</p>
      </div>
    );
  }
  return (
    <>
      <p>{t('signIn.oidcIntro')}</p>
      <ErrorMessage error={error} />
      <button type="button" className="button button-primary" onClick={() => startOidcSignIn({ ...config, clientId }, returnTo ?? '/').catch(setError)}>
        {t('signIn.oidcButton', { issuer: new URL(config.issuer).host })}
      </button>
    </>
  );
}

function DevelopmentSignIn({ returnTo }: { returnTo: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [organisations, setOrganisations] = useState<DevIdentityOrganisation[] | null>(null);
  const [organisationId, setOrganisationId] = useState('');
  const [identity, setIdentity] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    devIdentities().then((body) => setOrganisations(body.organisations), setError);
  }, []);

  const groups = useMemo(() => {
    const result: Record<'city' | 'partner' | 'other', DevIdentityOrganisation[]> = { city: [], partner: [], other: [] };
    for (const organisation of organisations ?? []) {
      // The programme's own organisations (auditors, administrators) are listed apart from the partners.
      const oversight = organisation.members.some((m) => m.roles.some((r) => r === 'auditor' || r === 'admin'));
      result[organisation.kind === 'city' ? 'city' : oversight ? 'other' : 'partner'].push(organisation);
    }
    return result;
  }, [organisations]);

  const chosen = organisations?.find((o) => o.id === organisationId) ?? null;
  const identities = (chosen?.members ?? []).flatMap((member) => member.roles.filter((r): r is Role => ROLES.includes(r as Role)).map((role) => ({ member, role, key: `${member.userId}|${role}` })));

  useEffect(() => {
    setIdentity(identities.length === 1 ? (identities[0]?.key ?? '') : '');
  }, [organisationId]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const [userId, role] = identity.split('|');
    if (!chosen || !userId || !role) return;
    setBusy(true);
    setError(null);
    try {
      const response = await devToken({ userId, organisationId: chosen.id, role });
      const session = {
        token: response.token,
        expiresAt: response.expiresAt,
        userId: response.principal.userId,
        displayName: response.principal.displayName,
        organisationId: response.principal.organisationId,
        organisationName: response.principal.organisationName,
        roles: response.principal.roles as Role[],
        source: 'development' as const,
      };
      saveSession(session);
      navigate(returnTo && returnTo !== '/sign-in' ? returnTo : homePath(session), { replace: true });
    } catch (caught) {
      setError(caught as Error);
      setBusy(false);
    }
  }

  if (!organisations && !error) return <Loading />;
  return (
    <form onSubmit={submit} className="form" noValidate>
      <h2>{t('signIn.devTitle')}</h2>
      <p className="help">{t('signIn.devIntro')}</p>
      <ErrorMessage error={error} />
      <Field label={t('signIn.organisation')}>
        {(props) => (
          <select {...props} name="organisation" value={organisationId} onChange={(e) => setOrganisationId(e.target.value)} required>
            <option value="">{t('signIn.chooseOrganisation')}</option>
            {(['city', 'partner', 'other'] as const).map((group) =>
              groups[group].length > 0 ? (
                <optgroup key={group} label={t(`signIn.groups.${group}`)}>
                  {groups[group].map((organisation) => (
                    <option key={organisation.id} value={organisation.id}>
                      {organisation.name}
                    </option>
                  ))}
                </optgroup>
              ) : null,
            )}
          </select>
        )}
      </Field>
      {chosen ? (
        identities.length > 0 ? (
          <Field label={t('signIn.user')}>
            {(props) => (
              <select {...props} name="identity" value={identity} onChange={(e) => setIdentity(e.target.value)} required>
                <option value="">{t('signIn.chooseUser')}</option>
                {identities.map(({ member, role, key }) => (
                  <option key={key} value={key}>
                    {member.displayName} — {t(`roles.${role}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <p className="help">{t('signIn.noMembers')}</p>
        )
      ) : null}
      <button type="submit" className="button button-primary" disabled={!identity || busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}
