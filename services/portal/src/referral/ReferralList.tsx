import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field, Loading, OverdueBadge, StatusBadge } from '../components/ui';
import { formatDate, formatTime } from '../format';
import type { NeedCategory, ReferralFilter, ReferralRowFragment, ReferralStatus } from '../gql/graphql';
import { CityReferralsQuery, InboxQuery } from '../graphql/operations';

export const STATUSES: readonly ReferralStatus[] = ['sent', 'accepted', 'in_progress', 'on_hold', 'declined', 'forwarded', 'withdrawn', 'completed'];
export const OPEN_STATUSES: readonly ReferralStatus[] = ['sent', 'accepted', 'in_progress', 'on_hold'];
export const NEEDS: readonly NeedCategory[] = ['financing', 'innovation', 'sustainability', 'digitalisation', 'permits', 'internationalisation', 'restructuring', 'labour_market', 'location', 'other'];
const PAGE_SIZE = 20;
const POLL_MS = 4000;

type Mode = 'inbox' | 'city' | 'audit';

/**
 * A partner's inbox, a city's tracker or the auditor's list of all referrals: filters (kept in the URL),
 * search, cursor paging, and polling so that new referrals appear without a reload.
 */
export function ReferralList({ mode, label }: { mode: Mode; label: string }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const need = (params.get('need') ?? '') as NeedCategory | '';
  const overdue = params.get('overdue') ?? '';
  const search = params.get('q') ?? '';
  const [searchText, setSearchText] = useState(search);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;

  useEffect(() => setSearchText(search), [search]);
  useEffect(() => setCursors([null]), [status, need, overdue, search]);
  useEffect(() => {
    if (searchText === search) return;
    const timer = setTimeout(() => update('q', searchText.trim()), 350);
    return () => clearTimeout(timer);
  }, [searchText]);

  function update(key: string, value: string) {
    // From the address bar, not this render's copy: a debounced search may run after another filter changed.
    setParams(
      () => {
        const next = new URLSearchParams(window.location.search);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  }

  const filter = useMemo<ReferralFilter>(
    () => ({
      ...(status === 'open' ? { status: [...OPEN_STATUSES] } : status ? { status: [status as ReferralStatus] } : {}),
      ...(need ? { needCategory: need } : {}),
      ...(overdue ? { overdue: overdue === 'yes' } : {}),
      ...(search ? { search } : {}),
    }),
    [status, need, overdue, search],
  );
  const variables = { filter, first: PAGE_SIZE, after };
  const [inbox, refetchInbox] = useQuery({ query: InboxQuery, variables, pause: mode === 'city' });
  const [city, refetchCity] = useQuery({ query: CityReferralsQuery, variables, pause: mode !== 'city' });
  const result = mode === 'city' ? city : inbox;
  const refetch = mode === 'city' ? refetchCity : refetchInbox;
  const connection = mode === 'city' ? city.data?.cityReferrals : inbox.data?.inbox;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  // Poll: a new referral shows up within seconds, announced to screen readers and highlighted.
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  const seen = useRef<Set<string> | null>(null);
  const seenKey = useRef('');
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (!connection) return;
    setUpdatedAt(new Date());
    const key = JSON.stringify(variables);
    const ids = connection.edges.map((edge) => edge.node.id);
    if (seen.current === null || seenKey.current !== key) {
      seen.current = new Set(ids);
      seenKey.current = key;
      return;
    }
    const arrived = ids.filter((id) => !seen.current?.has(id));
    if (arrived.length > 0) {
      arrived.forEach((id) => seen.current?.add(id));
      setFresh((current) => new Set([...current, ...arrived]));
      setAnnouncement(t('list.newArrived', { count: arrived.length }));
    }
  }, [connection]);

  const hasFilters = !!(status || need || overdue || search);
  const page = cursors.length;
  const linkTo = (id: string) => (mode === 'audit' ? `/audit/referrals/${id}` : `/referrals/${id}`);

  return (
    <div className="referral-list">
      <form className="filters" role="search" aria-label={t('list.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('list.search')}>
          {(props) => <input {...props} type="search" name="search" value={searchText} placeholder={t('list.searchPlaceholder')} onChange={(e) => setSearchText(e.target.value)} />}
        </Field>
        <Field label={t('list.status')}>
          {(props) => (
            <select {...props} name="status" value={status} onChange={(e) => update('status', e.target.value)}>
              <option value="">{t('list.allStatuses')}</option>
              <option value="open">{t('list.open')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('list.need')}>
          {(props) => (
            <select {...props} name="need" value={need} onChange={(e) => update('need', e.target.value)}>
              <option value="">{t('list.allNeeds')}</option>
              {NEEDS.map((n) => (
                <option key={n} value={n}>
                  {t(`need.${n}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('list.overdue')}>
          {(props) => (
            <select {...props} name="overdue" value={overdue} onChange={(e) => update('overdue', e.target.value)}>
              <option value="">{t('list.overdueAll')}</option>
              <option value="yes">{t('list.overdueOnly')}</option>
              <option value="no">{t('list.overdueNot')}</option>
            </select>
          )}
        </Field>
        {hasFilters ? (
          <button type="button" className="button button-quiet filters-clear" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('list.clearFilters')}
          </button>
        ) : null}
      </form>

      <div className="list-status">
        <p className="total" aria-live="polite">
          {connection ? t('list.total', { count: connection.totalCount }) : ''}
        </p>
        <p className="help">
          {t('list.autoRefresh')} {updatedAt ? t('app.lastUpdated', { time: formatTime(updatedAt, i18n.language) }) : ''}
        </p>
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
      </div>

      <ErrorMessage error={result.error} />
      {!connection && result.fetching ? <Loading /> : null}
      {connection && rows.length === 0 ? <p className="empty">{t('list.empty')}</p> : null}
      {rows.length > 0 ? (
        <table className="table referral-table">
          <caption className="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.entrepreneur')}</th>
              <th scope="col">{mode === 'inbox' ? t('list.received') : t('list.sent')}</th>
              <th scope="col">{mode === 'city' ? t('list.partner') : t('list.city')}</th>
              {mode === 'audit' ? <th scope="col">{t('list.partner')}</th> : null}
              <th scope="col">{t('list.need')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.respondBy')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row: ReferralRowFragment) => (
              <tr key={row.id} className={fresh.has(row.id) ? 'is-new' : undefined} data-referral-id={row.id}>
                <td data-label={t('list.entrepreneur')}>
                  <span>
                    <Link to={linkTo(row.id)} className="row-link">
                      {row.entrepreneur.businessName}
                    </Link>
                    <span className="muted"> {t('list.kvk', { kvk: row.entrepreneur.kvkNumber })}</span>
                  </span>
                </td>
                <td data-label={mode === 'inbox' ? t('list.received') : t('list.sent')}>
                  <span>{formatDate(row.sentAt, i18n.language)}</span>
                </td>
                <td data-label={mode === 'city' ? t('list.partner') : t('list.city')}>
                  <span>{mode === 'city' ? row.partner.name : row.city.name}</span>
                </td>
                {mode === 'audit' ? (
                  <td data-label={t('list.partner')}>
                    <span>{row.partner.name}</span>
                  </td>
                ) : null}
                <td data-label={t('list.need')}>
                  <span>{t(`need.${row.needCategory}`)}</span>
                </td>
                <td data-label={t('list.status')}>
                  <span>
                    <StatusBadge status={row.status} />
                  </span>
                </td>
                <td data-label={t('list.respondBy')}>
                  <span>
                    {formatDate(row.slaDueAt, i18n.language)} {row.overdue ? <OverdueBadge /> : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {connection && (page > 1 || connection.pageInfo.hasNextPage) ? (
        <nav className="pager" aria-label={t('list.page', { page })}>
          <button type="button" className="button" disabled={page <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('list.previous')}
          </button>
          <span>{t('list.page', { page })}</span>
          <button
            type="button"
            className="button"
            disabled={!connection.pageInfo.hasNextPage}
            onClick={() => setCursors((c) => [...c, connection.pageInfo.endCursor ?? null])}
          >
            {t('list.next')}
          </button>
        </nav>
      ) : null}
    </div>
  );
}
