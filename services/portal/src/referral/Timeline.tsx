import { useEffect } from 'react';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/ui';
import { formatCents, formatDateTime, formatDateTimeSeconds } from '../format';
import { ReferralHistoryQuery } from '../graphql/operations';

const ENUM_FIELDS: Record<string, string> = {
  status: 'status',
  reason: 'declineReason',
  declineReason: 'declineReason',
  code: 'outcome',
  outcomeCode: 'outcome',
  needCategory: 'need',
  sizeClass: 'size',
  partnerKind: 'orgKinds',
};
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A recorded value (JSON text) in words: enum codes translated, instants and amounts formatted. */
function describeValue(field: string, json: string, t: TFunction, language: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  const leaf = field.split('.').pop() ?? field;
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? t('app.yes') : t('app.no');
  if (typeof value === 'number') return /cents/i.test(leaf) ? formatCents(value, language) : String(value);
  if (typeof value === 'string') {
    const namespace = ENUM_FIELDS[leaf];
    if (namespace) return t(`${namespace}.${value}`, { defaultValue: value });
    if (INSTANT.test(value)) return formatDateTime(value, language);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => describeValue(leaf, JSON.stringify(item), t, language)).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([key, inner]) => `${key}: ${describeValue(key, JSON.stringify(inner), t, language)}`)
    .join('; ');
}

/** The referral's events from the audit subgraph (Referral.history), oldest first, refreshed every few seconds. */
export function Timeline({ id, expanded = false }: { id: string; expanded?: boolean }) {
  const { t, i18n } = useTranslation();
  const [result, refetch] = useQuery({ query: ReferralHistoryQuery, variables: { id } });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 5000);
    return () => clearInterval(timer);
  }, [refetch]);
  const history = result.data?.referral?.history ?? null;
  const entries = history ? [...history].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.sequence ?? 0) - (b.sequence ?? 0)) : [];

  return (
    <Panel title={t('timeline.title')} className="timeline-panel">
      <p className="help">{t('timeline.intro')}</p>
      {result.error && !history ? (
        <>
          <p className="muted">{t('timeline.unavailable')}</p>
          <ErrorMessage error={result.error} />
        </>
      ) : null}
      {!history && result.fetching ? <p className="muted">{t('app.loading')}</p> : null}
      {history && entries.length === 0 ? <p className="muted">{t('timeline.empty')}</p> : null}
      {entries.length > 0 ? (
        <ol className="timeline">
          {entries.map((entry) => (
            <li key={entry.eventId} className="timeline-entry" data-event-type={entry.type}>
              <p className="timeline-head">
                <strong className="timeline-type">{t(`timeline.events.${entry.type}`, { defaultValue: entry.type })}</strong>
                <time dateTime={entry.recordedAt}>{formatDateTimeSeconds(entry.recordedAt, i18n.language)}</time>
              </p>
              <p className="muted">
                {t('timeline.by', { user: entry.actor.userId })}
                {entry.actor.organisation ? ` ${t('timeline.ofOrg', { org: entry.actor.organisation.name })}` : ''}
                {' · '}
                {entry.sequence !== null && entry.sequence !== undefined ? t('timeline.sequence', { n: entry.sequence }) : t('timeline.pending')}
              </p>
              {entry.occurredAt && Math.abs(Date.parse(entry.occurredAt) - Date.parse(entry.recordedAt)) > 60_000 ? (
                <p className="muted">
                  {t('timeline.occurred')}: {formatDateTime(entry.occurredAt, i18n.language)}
                </p>
              ) : null}
              {entry.changes.length > 0 ? (
                <details className="changes" open={expanded}>
                  <summary>
                    {t('timeline.changes')} ({entry.changes.length})
                  </summary>
                  <dl className="facts compact">
                    {entry.changes.map((change) => (
                      <div key={change.field} className="fact">
                        <dt>{change.field}</dt>
                        <dd>{change.value === null || change.value === undefined ? <em>{t('timeline.hiddenValue')}</em> : describeValue(change.field, change.value, t, i18n.language)}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </Panel>
  );
}
