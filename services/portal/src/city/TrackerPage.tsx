import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useOrganisation } from '../api/useOrganisation';
import type { Session } from '../auth/session';
import { CityReferralsQuery } from '../graphql/operations';
import { ReferralList } from '../referral/ReferralList';

const AWAITING = { filter: { status: ['on_hold' as const] }, first: 1, after: null };

export function TrackerPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const organisation = useOrganisation(session);
  const name = organisation?.name ?? session.organisationName ?? session.organisationId;
  const [awaiting, refetch] = useQuery({ query: CityReferralsQuery, variables: AWAITING });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 8000);
    return () => clearInterval(timer);
  }, [refetch]);
  const count = awaiting.data?.cityReferrals.totalCount ?? 0;
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{t('tracker.title', { org: name })}</h1>
        <Link className="button button-primary" to="/city/new">
          {t('nav.newReferral')}
        </Link>
      </div>
      <p className="lead">{t('tracker.intro')}</p>
      {count > 0 ? (
        <div className="alert alert-warning">
          <p>
            {t('tracker.awaiting', { count })} <Link to="/city?status=on_hold">{t('tracker.showAwaiting')}</Link>
          </p>
        </div>
      ) : null}
      <ReferralList mode="city" label={t('tracker.title', { org: name })} />
    </div>
  );
}
