import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { problemsOf } from '../api/errors';
import { hasRole, type Session } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading, StatusBadge } from '../components/ui';
import { ReferralQuery } from '../graphql/operations';
import { ReferralActions } from './ReferralActions';
import { ReferralSummary, TrackingPanel } from './ReferralSummary';
import { Timeline } from './Timeline';

/** A referral for whoever may see it; for anyone else the same "not found" as for an id that does not exist. */
export function ReferralPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result] = useQuery({ query: ReferralQuery, variables: { id } });
  const referral = result.data?.referral ?? null;
  const backTo = hasRole(session, 'partner_agent') ? '/inbox' : hasRole(session, 'city_officer') ? '/city' : '/audit';

  if (!referral) {
    if (result.fetching || (!result.data && !result.error)) return <Loading />;
    const notFound = !result.error || problemsOf(result.error).some((p) => p.code === 'NOT_FOUND' || p.code === 'FORBIDDEN');
    return notFound ? <ReferralNotFound backTo={backTo} /> : <ErrorMessage error={result.error} />;
  }

  return (
    <div className="page referral-page">
      <p className="back">
        <Link to={backTo}>← {t('referral.back')}</Link>
      </p>
      <div className="page-heading">
        <h1>{t('referral.title', { name: referral.entrepreneur.businessName })}</h1>
        <StatusBadge status={referral.status} />
      </div>
      <div className="referral-layout">
        <div className="referral-main">
          <ReferralSummary referral={referral} />
        </div>
        <div className="referral-side">
          <ReferralActions referral={referral} session={session} />
          <TrackingPanel id={referral.id} />
          <Timeline id={referral.id} />
        </div>
      </div>
    </div>
  );
}

export function ReferralNotFound({ backTo }: { backTo: string }) {
  const { t } = useTranslation();
  return (
    <div className="page not-found" data-testid="referral-not-found">
      <h1>{t('referral.notFoundTitle')}</h1>
      <p>{t('referral.notFound')}</p>
      <p>{t('referral.notFoundHelp')}</p>
      <p>
        <Link to={backTo}>← {t('referral.back')}</Link>
      </p>
    </div>
  );
}
