import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { problemsOf } from '../api/errors';
import { ErrorMessage } from '../components/ErrorMessage';
import { Facts, Field, Loading, OverdueBadge, Panel, StatusBadge } from '../components/ui';
import { dateTimeInputValue, formatCents, formatDate, formatDateTime, formatDateTimeSeconds, formatNumber } from '../format';
import { ReferralAsOfQuery, ReferralQuery } from '../graphql/operations';
import { ReferralNotFound } from '../referral/ReferralPage';
import { ReferralSummary, TrackingPanel } from '../referral/ReferralSummary';
import { Timeline } from '../referral/Timeline';

/** An auditor's view of one referral: its timeline, its state as of a chosen moment, and the referral itself (masked). */
export function AuditReferralPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result] = useQuery({ query: ReferralQuery, variables: { id } });
  const referral = result.data?.referral ?? null;
  if (!referral) {
    if (result.fetching || (!result.data && !result.error)) return <Loading />;
    const notFound = !result.error || problemsOf(result.error).some((p) => p.code === 'NOT_FOUND' || p.code === 'FORBIDDEN');
    return notFound ? <ReferralNotFound backTo="/audit" /> : <ErrorMessage error={result.error} />;
  }
  return (
    <div className="page audit-referral-page">
      <p className="back">
        <Link to="/audit">← {t('referral.back')}</Link>
      </p>
      <div className="page-heading">
        <h1>{t('audit.openAudit', { name: referral.entrepreneur.businessName })}</h1>
        <StatusBadge status={referral.status} />
      </div>
      <p className="muted">
        <code>{referral.id}</code>
      </p>
      <div className="referral-layout">
        <div className="referral-main">
          <Timeline id={referral.id} expanded />
        </div>
        <div className="referral-side">
          <AsOfPanel id={referral.id} sentAt={referral.sentAt} />
          <TrackingPanel id={referral.id} linkBase="/audit/referrals/" />
        </div>
      </div>
      <details className="panel referral-details">
        <summary>{t('referral.summary')}</summary>
        <ReferralSummary referral={referral} />
      </details>
    </div>
  );
}

function AsOfPanel({ id, sentAt }: { id: string; sentAt: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [value, setValue] = useState(() => dateTimeInputValue(new Date()));
  const [at, setAt] = useState<string | null>(null);
  const [result] = useQuery({ query: ReferralAsOfQuery, variables: { id, at: at ?? '' }, pause: !at, requestPolicy: 'network-only' });
  const snapshot = result.data?.referralAsOf;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const instant = new Date(value);
    if (!Number.isNaN(instant.getTime())) setAt(instant.toISOString());
  };
  return (
    <Panel title={t('audit.asOf')} className="as-of-panel">
      <p className="help">{t('audit.asOfHelp')}</p>
      <form className="form inline-form" onSubmit={submit}>
        <Field label={t('audit.asOfAt')}>
          {(props) => <input {...props} name="asOf" type="datetime-local" step={1} value={value} min={dateTimeInputValue(new Date(Date.parse(sentAt) - 86_400_000))} onChange={(e) => setValue(e.target.value)} required />}
        </Field>
        <button type="submit" className="button button-primary">
          {t('audit.asOfButton')}
        </button>
      </form>
      <ErrorMessage error={result.error} />
      {at && result.fetching ? <Loading /> : null}
      {at && !result.fetching && result.data && !snapshot ? <p className="muted">{t('audit.asOfNone')}</p> : null}
      {snapshot ? (
        <div className="snapshot" data-testid="snapshot" role="status">
          <h3>{t('audit.snapshotAt', { date: formatDateTimeSeconds(snapshot.at, lang) })}</h3>
          <Facts
            items={[
              [t('referral.status'), <StatusBadge key="s" status={snapshot.status} />],
              [t('audit.version'), formatNumber(snapshot.version, lang)],
              [t('audit.eventsApplied'), formatNumber(snapshot.eventsApplied, lang)],
              [t('referral.from'), snapshot.city.name],
              [t('referral.to'), snapshot.partner.name],
              [t('referral.need'), t(`need.${snapshot.needCategory}`)],
              [t('referral.sentAt'), formatDateTime(snapshot.sentAt, lang)],
              [t('referral.respondBy'), <span key="d">{formatDateTime(snapshot.slaDueAt, lang)} {snapshot.overdue ? <OverdueBadge /> : null}</span>],
              [t('audit.firstResponse'), formatDateTimeSeconds(snapshot.firstResponseAt, lang)],
              ...(snapshot.forwardedToReferralId
                ? ([[t('audit.forwardedTo'), <Link key="f" to={`/audit/referrals/${snapshot.forwardedToReferralId}`}>{snapshot.forwardedToReferralId}</Link>]] as [string, React.ReactNode][])
                : []),
            ]}
          />
          <h4>{t('referral.outcomes')}</h4>
          {snapshot.outcomes.length === 0 ? (
            <p className="muted">{t('referral.noOutcomes')}</p>
          ) : (
            <ul className="outcomes">
              {snapshot.outcomes.map((outcome, index) => (
                <li key={index}>
                  <strong>{t(`outcome.${outcome.code}`)}</strong>
                  {outcome.amountCents != null ? ` ${formatCents(outcome.amountCents, lang)}` : ''}{' '}
                  <span className="muted">
                    {t('referral.outcomeOccurred', { date: formatDate(outcome.occurredAt, lang) })}, {t('referral.outcomeRecorded', { date: formatDateTime(outcome.recordedAt, lang) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </Panel>
  );
}
