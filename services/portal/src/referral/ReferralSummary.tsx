import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { Facts, OverdueBadge, Panel, StatusBadge } from '../components/ui';
import { formatCents, formatDate, formatDateTime, formatNumber } from '../format';
import type { ReferralQuery as ReferralData } from '../gql/graphql';
import { ReferralTrackingQuery } from '../graphql/operations';

export type ReferralDetail = NonNullable<ReferralData['referral']>;

/** What the referral says: who, to whom, for what, with which consent, and what came of it. */
export function ReferralSummary({ referral }: { referral: ReferralDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const visible = referral.personalData === 'visible';
  return (
    <>
      <Panel title={t('referral.summary')}>
        <Facts
          items={[
            [t('referral.status'), <StatusBadge key="s" status={referral.status} />],
            [t('referral.sentAt'), formatDateTime(referral.sentAt, lang)],
            [t('referral.from'), referral.city.name],
            [t('referral.to'), `${referral.partner.name} (${t(`orgKinds.${referral.partner.kind}`)})`],
            [t('referral.service'), referral.service.name],
            [t('referral.sla'), t('referral.slaDays', { count: referral.service.slaWorkingDays })],
            [t('referral.need'), t(`need.${referral.needCategory}`)],
            ...(referral.declineReason ? [[t('referral.declineReason'), t(`declineReason.${referral.declineReason}`)] as [string, string]] : []),
            ...(referral.forwardedFrom ? [[t('referral.forwardedFrom'), <Link key="f" to={`/referrals/${referral.forwardedFrom.id}`}>{t('referral.openOther')}</Link>] as [string, React.ReactNode]] : []),
            ...(referral.forwardedTo ? [[t('referral.forwardedTo'), <Link key="t" to={`/referrals/${referral.forwardedTo.id}`}>{t('referral.openNext')}</Link>] as [string, React.ReactNode]] : []),
          ]}
        />
      </Panel>

      <Panel title={t('referral.entrepreneur')}>
        <Facts
          items={[
            [t('referral.businessName'), referral.entrepreneur.businessName],
            [t('referral.kvk'), referral.entrepreneur.kvkNumber],
            [t('referral.sbi'), referral.entrepreneur.sbiCode ?? '–'],
            [t('referral.size'), t(`size.${referral.entrepreneur.sizeClass}`)],
          ]}
        />
      </Panel>

      <Panel title={t('personalData.title')}>
        <p className={`personal-data personal-data-${referral.personalData}`} data-personal-data={referral.personalData}>
          {t(`personalData.${referral.personalData}`)}
        </p>
        {visible && referral.contact ? (
          <>
            <h3>{t('referral.contact')}</h3>
            <Facts
              items={[
                [t('referral.name'), referral.contact.name],
                [t('referral.email'), referral.contact.email ? <a key="e" href={`mailto:${referral.contact.email}`}>{referral.contact.email}</a> : '–'],
                [t('referral.phone'), referral.contact.phone ? <a key="p" href={`tel:${referral.contact.phone}`}>{referral.contact.phone}</a> : '–'],
              ]}
            />
          </>
        ) : null}
        {visible && referral.needDescription ? (
          <>
            <h3>{t('referral.needDescription')}</h3>
            <p className="quote">{referral.needDescription}</p>
          </>
        ) : null}
      </Panel>

      <Panel title={t('referral.consent')}>
        <Facts
          items={[
            [t('referral.consentPurpose'), referral.consent.purpose],
            [t('referral.consentExpires'), formatDate(referral.consent.expiresAt, lang)],
            [t('referral.anonymousStatistics'), referral.consent.anonymousStatistics ? t('app.yes') : t('app.no')],
          ]}
        />
      </Panel>

      {referral.informationExchanges.length > 0 ? (
        <Panel title={t('referral.information')}>
          <ol className="exchanges">
            {referral.informationExchanges.map((exchange, index) => (
              <li key={index}>
                <p>
                  <strong>{t('referral.question')}</strong> <span className="muted">{t('referral.askedAt', { date: formatDateTime(exchange.requestedAt, lang) })}</span>
                </p>
                <p className="quote">{exchange.question ?? t('referral.hiddenText')}</p>
                <p>
                  <strong>{t('referral.answer')}</strong>{' '}
                  <span className="muted">{exchange.providedAt ? t('referral.answeredAt', { date: formatDateTime(exchange.providedAt, lang) }) : t('referral.notAnswered')}</span>
                </p>
                {exchange.providedAt ? <p className="quote">{exchange.answer ?? t('referral.hiddenText')}</p> : null}
              </li>
            ))}
          </ol>
        </Panel>
      ) : null}

      <Panel title={t('referral.outcomes')}>
        {referral.outcomes.length === 0 ? (
          <p className="muted">{t('referral.noOutcomes')}</p>
        ) : (
          <ul className="outcomes">
            {referral.outcomes.map((outcome) => (
              <li key={outcome.id} data-outcome-code={outcome.code}>
                <p>
                  <strong>{t(`outcome.${outcome.code}`)}</strong>
                  {outcome.amountCents !== null && outcome.amountCents !== undefined ? <span className="amount"> {formatCents(outcome.amountCents, lang)}</span> : null}
                </p>
                <p className="muted">
                  {t('referral.outcomeOccurred', { date: formatDate(outcome.occurredAt, lang) })}, {t('referral.outcomeRecorded', { date: formatDateTime(outcome.recordedAt, lang) })}
                </p>
                {outcome.jobsRetained !== null && outcome.jobsRetained !== undefined ? (
                  <p>
                    {t('referral.jobsRetained')}: {formatNumber(outcome.jobsRetained, lang)}
                  </p>
                ) : null}
                {outcome.jobsCreated !== null && outcome.jobsCreated !== undefined ? (
                  <p>
                    {t('referral.jobsCreated')}: {formatNumber(outcome.jobsCreated, lang)}
                  </p>
                ) : null}
                {outcome.note ? <p className="quote">{outcome.note}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}

/** The inbox projection's view: the response deadline and the entrepreneur's journey through forwards. */
export function TrackingPanel({ id, linkBase = '/referrals/' }: { id: string; linkBase?: string }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: ReferralTrackingQuery, variables: { id } });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 10_000);
    return () => clearInterval(timer);
  }, [refetch]);
  const tracking = result.data?.referral;
  return (
    <Panel title={t('referral.tracking')}>
      {!tracking ? (
        <p className="muted">{result.fetching ? t('app.loading') : t('referral.trackingUnavailable')}</p>
      ) : (
        <>
          <Facts items={[[t('referral.respondBy'), <span key="d">{formatDateTime(tracking.slaDueAt, i18n.language)} {tracking.overdue ? <OverdueBadge /> : null}</span>]]} />
          {tracking.journey.length > 1 ? (
            <>
              <h3>{t('referral.journey')}</h3>
              <ol className="journey">
                {tracking.journey.map((step) => (
                  <li key={step.referralId}>
                    {step.referralId === id ? (
                      <strong>
                        {step.partner.name} {t('referral.journeyCurrent')}
                      </strong>
                    ) : (
                      <Link to={`${linkBase}${step.referralId}`}>{step.partner.name}</Link>
                    )}{' '}
                    <StatusBadge status={step.status} /> <span className="muted">{formatDate(step.sentAt, i18n.language)}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </>
      )}
    </Panel>
  );
}
