import { useEffect, useMemo, useState } from 'react';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineElement, PointElement, Tooltip, type ChartOptions } from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { useOrganisation } from '../api/useOrganisation';
import type { Session } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading } from '../components/ui';
import { formatDays, formatEuros, formatNumber, formatPercent, formatTime } from '../format';
import type { OutcomeCode, OutcomeStatisticsQuery as StatisticsData, StatisticsFiguresFragment } from '../gql/graphql';
import { OutcomeStatisticsQuery } from '../graphql/operations';
import { locale } from '../i18n';

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend);
ChartJS.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";
ChartJS.defaults.font.size = 13;
ChartJS.defaults.color = '#1a1a1a';
ChartJS.defaults.datasets.bar.maxBarThickness = 56;

/** Colours with at least 3:1 contrast against white, distinguishable for the common colour-vision deficiencies. */
const COLOURS = ['#154273', '#e17000', '#39870c', '#a90061', '#007bc7', '#673327', '#5c5c5c', '#8b6f00', '#42145f'];
const STATUS_SERIES = ['referralsMade', 'accepted', 'declined', 'forwarded', 'withdrawn', 'completed'] as const;

type Cell = StatisticsFiguresFragment & { period?: string | null; partnerKind?: string | null };

function monthLabel(period: string, language: string): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return period;
  return new Intl.DateTimeFormat(locale(language), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
}

/** City officer: what came of the city's referrals (outcomeStatistics of the outcomes subgraph). */
export function DashboardPage({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const organisation = useOrganisation(session);
  const [result, refetch] = useQuery({ query: OutcomeStatisticsQuery });
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 15_000);
    return () => clearInterval(timer);
  }, [refetch]);
  useEffect(() => {
    if (result.data) setUpdatedAt(new Date());
  }, [result.data]);

  const data: StatisticsData | undefined = result.data;
  const total: Cell | null = data?.total[0] ?? null;
  const months = useMemo(() => [...(data?.perMonth ?? [])].filter((c) => !c.suppressed).sort((a, b) => (a.period ?? '').localeCompare(b.period ?? '')), [data]);
  const kinds = useMemo(() => [...(data?.perPartnerKind ?? [])].filter((c) => !c.suppressed), [data]);
  const suppressed = (data?.perMonth ?? []).filter((c) => c.suppressed).length + (data?.perPartnerKind ?? []).filter((c) => c.suppressed).length;
  const name = organisation?.name ?? session.organisationName ?? session.organisationId;

  return (
    <div className="page dashboard-page">
      <div className="page-heading">
        <h1>{t('dashboard.title', { org: name })}</h1>
        <button type="button" className="button" onClick={() => refetch({ requestPolicy: 'network-only' })}>
          {t('app.refresh')}
        </button>
      </div>
      <p className="lead">{t('dashboard.intro')}</p>
      <p className="help">
        {t('dashboard.autoRefresh')} {updatedAt ? t('app.lastUpdated', { time: formatTime(updatedAt, lang) }) : ''}
      </p>
      <ErrorMessage error={result.error} />
      {!data && result.fetching ? <Loading /> : null}
      {data ? (
        <>
          <section aria-labelledby="kpis" className="kpi-section">
            <h2 id="kpis" className="visually-hidden">
              {t('dashboard.kpis')}
            </h2>
            {total?.suppressed || !total ? (
              <div className="alert alert-info">
                <p>{t('dashboard.allSuppressed')}</p>
              </div>
            ) : null}
            <dl className="kpis">
              <Kpi id="referrals" label={t('dashboard.referrals')} value={formatNumber(total?.referralsMade, lang)} />
              <Kpi id="entrepreneurs" label={t('dashboard.entrepreneurs')} value={formatNumber(total?.entrepreneurs, lang)} />
              <Kpi id="acceptance" label={t('dashboard.acceptanceRate')} value={formatPercent(total?.acceptanceRate, lang)} />
              <Kpi
                id="median"
                label={t('dashboard.medianResponse')}
                value={formatDays(total?.medianDaysToFirstResponse, lang, {
                  lessThanHour: t('dashboard.lessThanHour'),
                  hours: (value) => t('dashboard.hours', { value }),
                  days: (value) => t('dashboard.days', { value }),
                })}
              />
              <Kpi id="sla" label={t('dashboard.withinSla')} value={formatPercent(total?.answeredWithinSlaShare, lang)} />
              <Kpi id="financing" label={t('dashboard.financing')} value={formatEuros(total?.financingMobilisedEuros, lang)} />
              <Kpi id="subsidy" label={t('dashboard.subsidy')} value={formatEuros(total?.subsidyMobilisedEuros, lang)} />
              <Kpi id="jobs" label={t('dashboard.jobs')} value={`${formatNumber(total?.jobsRetained, lang)} / ${formatNumber(total?.jobsCreated, lang)}`} />
            </dl>
            {suppressed > 0 ? <p className="help">{t('dashboard.suppressed', { count: suppressed })}</p> : null}
          </section>
          <div className="charts">
            <PerMonthChart months={months} />
            <ByKindChart kinds={kinds} />
            <ResponseTimeChart months={months} />
            <MobilisedChart months={months} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function Kpi({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div className="kpi" data-kpi={id}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** A chart with a caption, a text alternative and the same figures as a table. */
function ChartFigure({ title, help, summary, table, children }: { title: string; help?: string; summary: string; table: { head: string[]; rows: (string | number)[][] }; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <figure className="panel chart">
      <figcaption>
        <h2>{title}</h2>
        {help ? <p className="help">{help}</p> : null}
      </figcaption>
      {table.rows.length === 0 ? (
        <p className="muted">{t('dashboard.noData')}</p>
      ) : (
        <>
          <div className="chart-canvas" role="img" aria-label={summary}>
            {children}
          </div>
          <details>
            <summary>{t('dashboard.showTable')}</summary>
            <div className="table-scroll">
              <table className="table compact">
                <thead>
                  <tr>
                    {table.head.map((h) => (
                      <th key={h} scope="col">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((row, index) => (
                    <tr key={index}>
                      {row.map((value, column) => (column === 0 ? <th key={column} scope="row">{value}</th> : <td key={column}>{value}</td>))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}

function baseOptions<T extends 'bar' | 'line'>(language: string, money = false): ChartOptions<T> {
  const number = new Intl.NumberFormat(locale(language), money ? { style: 'currency', currency: 'EUR', maximumFractionDigits: 0, notation: 'compact' } : { maximumFractionDigits: 1 });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    locale: locale(language),
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 14, color: '#1a1a1a', font: { size: 13 } } }, tooltip: { enabled: true } },
    scales: {
      x: { ticks: { color: '#1a1a1a', font: { size: 12 } }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: '#1a1a1a', font: { size: 12 }, precision: money ? undefined : 0, callback: (value: string | number) => number.format(Number(value)) }, grid: { color: '#e6e6e6' } },
    },
  } as unknown as ChartOptions<T>;
}

function PerMonthChart({ months }: { months: Cell[] }) {
  const { t, i18n } = useTranslation();
  const labels = months.map((m) => monthLabel(m.period ?? '', i18n.language));
  const datasets = STATUS_SERIES.map((series, index) => ({
    label: t(`dashboard.series.${series}`),
    data: months.map((m) => m[series] ?? 0),
    backgroundColor: COLOURS[index],
  }));
  const summary = months.map((m, i) => `${labels[i]}: ${STATUS_SERIES.map((s) => `${t(`dashboard.series.${s}`)} ${m[s] ?? 0}`).join(', ')}`).join('; ');
  return (
    <ChartFigure
      title={t('dashboard.perMonth')}
      help={t('dashboard.perMonthHelp')}
      summary={summary}
      table={{ head: [t('dashboard.period'), ...STATUS_SERIES.map((s) => t(`dashboard.series.${s}`))], rows: months.map((m, i) => [labels[i] ?? '', ...STATUS_SERIES.map((s) => m[s] ?? 0)]) }}
    >
      <Bar data={{ labels, datasets }} options={baseOptions<'bar'>(i18n.language)} />
    </ChartFigure>
  );
}

function ByKindChart({ kinds }: { kinds: Cell[] }) {
  const { t, i18n } = useTranslation();
  const labels = kinds.map((k) => t(`orgKinds.${k.partnerKind ?? 'other'}`));
  const codes = [...new Set(kinds.flatMap((k) => (k.outcomesByCode ?? []).map((o) => o.code)))] as OutcomeCode[];
  const count = (cell: Cell, code: OutcomeCode) => cell.outcomesByCode?.find((o) => o.code === code)?.count ?? 0;
  const datasets = codes.map((code, index) => ({ label: t(`outcome.${code}`), data: kinds.map((k) => count(k, code)), backgroundColor: COLOURS[index % COLOURS.length] }));
  const options = baseOptions<'bar'>(i18n.language);
  const stacked = { ...options, scales: { x: { ...options.scales?.['x'], stacked: true }, y: { ...options.scales?.['y'], stacked: true } } } as ChartOptions<'bar'>;
  const rows = kinds.filter((k) => codes.some((c) => count(k, c) > 0));
  return (
    <ChartFigure
      title={t('dashboard.byKind')}
      summary={rows.map((k) => `${t(`orgKinds.${k.partnerKind ?? 'other'}`)}: ${codes.map((c) => `${t(`outcome.${c}`)} ${count(k, c)}`).join(', ')}`).join('; ')}
      table={{ head: [t('dashboard.partnerKind'), ...codes.map((c) => t(`outcome.${c}`))], rows: rows.map((k) => [t(`orgKinds.${k.partnerKind ?? 'other'}`), ...codes.map((c) => count(k, c))]) }}
    >
      <Bar data={{ labels, datasets }} options={stacked} />
    </ChartFigure>
  );
}

function ResponseTimeChart({ months }: { months: Cell[] }) {
  const { t, i18n } = useTranslation();
  const answered = months.filter((m) => m.medianDaysToFirstResponse !== null && m.medianDaysToFirstResponse !== undefined);
  const labels = answered.map((m) => monthLabel(m.period ?? '', i18n.language));
  const fmt = (v: number | null | undefined) => formatNumber(v, i18n.language, 1);
  const options = baseOptions<'line'>(i18n.language);
  // A few days' room above the points, so that quick answers do not sit on the axis.
  const lineOptions = { ...options, scales: { x: { ...options.scales?.['x'], offset: true }, y: { ...options.scales?.['y'], suggestedMax: 5 } } } as ChartOptions<'line'>;
  return (
    <ChartFigure
      title={t('dashboard.responseTime')}
      help={t('dashboard.responseTimeHelp')}
      summary={answered.map((m, i) => `${labels[i]}: ${t('dashboard.series.median')} ${fmt(m.medianDaysToFirstResponse)}, ${t('dashboard.series.p90')} ${fmt(m.p90DaysToFirstResponse)}`).join('; ')}
      table={{ head: [t('dashboard.period'), t('dashboard.series.median'), t('dashboard.series.p90')], rows: answered.map((m, i) => [labels[i] ?? '', fmt(m.medianDaysToFirstResponse), fmt(m.p90DaysToFirstResponse)]) }}
    >
      <Line
        data={{
          labels,
          datasets: [
            { label: t('dashboard.series.median'), data: answered.map((m) => m.medianDaysToFirstResponse ?? null), borderColor: COLOURS[0], backgroundColor: COLOURS[0], pointRadius: 5, borderWidth: 3 },
            { label: t('dashboard.series.p90'), data: answered.map((m) => m.p90DaysToFirstResponse ?? null), borderColor: COLOURS[1], backgroundColor: COLOURS[1], pointRadius: 5, borderWidth: 2, borderDash: [6, 4] },
          ],
        }}
        options={lineOptions}
      />
    </ChartFigure>
  );
}

function MobilisedChart({ months }: { months: Cell[] }) {
  const { t, i18n } = useTranslation();
  const labels = months.map((m) => monthLabel(m.period ?? '', i18n.language));
  const options = baseOptions<'bar'>(i18n.language, true);
  const stacked = { ...options, scales: { x: { ...options.scales?.['x'], stacked: true }, y: { ...options.scales?.['y'], stacked: true } } } as ChartOptions<'bar'>;
  const euros = (v: number | null | undefined) => formatEuros(v ?? 0, i18n.language);
  return (
    <ChartFigure
      title={t('dashboard.mobilised')}
      summary={months.map((m, i) => `${labels[i]}: ${t('dashboard.series.financing')} ${euros(m.financingMobilisedEuros)}, ${t('dashboard.series.subsidy')} ${euros(m.subsidyMobilisedEuros)}`).join('; ')}
      table={{ head: [t('dashboard.period'), t('dashboard.series.financing'), t('dashboard.series.subsidy')], rows: months.map((m, i) => [labels[i] ?? '', euros(m.financingMobilisedEuros), euros(m.subsidyMobilisedEuros)]) }}
    >
      <Bar
        data={{
          labels,
          datasets: [
            { label: t('dashboard.series.financing'), data: months.map((m) => m.financingMobilisedEuros ?? 0), backgroundColor: COLOURS[2] },
            { label: t('dashboard.series.subsidy'), data: months.map((m) => m.subsidyMobilisedEuros ?? 0), backgroundColor: COLOURS[4] },
          ],
        }}
        options={stacked}
      />
    </ChartFigure>
  );
}
