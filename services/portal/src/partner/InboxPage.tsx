import { useTranslation } from 'react-i18next';
import { useOrganisation } from '../api/useOrganisation';
import type { Session } from '../auth/session';
import { ReferralList } from '../referral/ReferralList';

export function InboxPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const organisation = useOrganisation(session);
  const name = organisation?.name ?? session.organisationName ?? session.organisationId;
  return (
    <div className="page">
      <h1>{t('inbox.title')}</h1>
      <p className="lead">{t('inbox.intro', { org: name })}</p>
      <ReferralList mode="inbox" label={t('inbox.title')} />
    </div>
  );
}
