import { useState, type FormEvent } from 'react';
import { useClient, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, SuccessMessage } from '../components/ErrorMessage';
import { Facts, Field, Panel } from '../components/ui';
import { dateInputValue, formatNumber } from '../format';
import type { ExportFormat, VerifyLogQuery as VerifyLogData } from '../gql/graphql';
import { EventExportQuery, VerifyLogQuery } from '../graphql/operations';
import { ReferralList } from '../referral/ReferralList';

/** Auditors and admins: find any referral (masked), verify the log, export events. */
export function AuditHome() {
  const { t } = useTranslation();
  return (
    <div className="page audit-page">
      <h1>{t('audit.title')}</h1>
      <p className="lead">{t('audit.intro')}</p>
      <div className="audit-tools">
        <VerifyPanel />
        <ExportPanel />
      </div>
      <Panel title={t('audit.find')}>
        <p className="help">{t('audit.findHelp')}</p>
        <ReferralList mode="audit" label={t('audit.find')} />
      </Panel>
    </div>
  );
}

function VerifyPanel() {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [verification, setVerification] = useState<VerifyLogData['verifyLog'] | null>(null);
  async function verify() {
    setBusy(true);
    setError(null);
    const result = await client.query(VerifyLogQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    setError(result.error ?? null);
    setVerification(result.data?.verifyLog ?? null);
  }
  const lang = i18n.language;
  return (
    <Panel title={t('audit.verify')} className="verify-panel">
      <p className="help">{t('audit.verifyHelp')}</p>
      <button type="button" className="button button-primary" onClick={() => void verify()} disabled={busy}>
        {busy ? t('audit.verifying') : t('audit.verifyButton')}
      </button>
      <ErrorMessage error={error} />
      {verification ? (
        <div className="verification" data-verified={verification.ok ? 'ok' : 'bad'} role="status">
          <div className={`alert ${verification.ok ? 'alert-success' : 'alert-error'}`}>
            <p className="alert-title">{verification.ok ? `✓ ${t('audit.verifyOk')}` : `✗ ${t('audit.verifyBad')}`}</p>
          </div>
          <Facts
            items={[
              [t('audit.checkedEvents'), formatNumber(verification.checkedEvents, lang)],
              [t('audit.range'), verification.fromSequence != null ? `${verification.fromSequence} – ${verification.toSequence ?? ''}` : '–'],
              [t('audit.checkpoints'), formatNumber(verification.checkpointsVerified, lang)],
              [t('audit.headHash'), verification.headHash ? <code key="h" className="hash">{verification.headHash}</code> : '–'],
              ...(!verification.ok
                ? ([
                    [t('audit.firstBad'), verification.firstBadSequence ?? '–'],
                    [t('audit.firstBadPosition'), verification.firstBadPosition ?? '–'],
                    [t('audit.problem'), verification.problem ?? '–'],
                  ] as [string, React.ReactNode][])
                : []),
            ]}
          />
        </div>
      ) : null}
    </Panel>
  );
}

function ExportPanel() {
  const { t } = useTranslation();
  const client = useClient();
  const [from, setFrom] = useState(() => dateInputValue(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => dateInputValue(new Date()));
  const [format, setFormat] = useState<ExportFormat>('json_lines');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [done, setDone] = useState<{ filename: string; rows: number } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    const result = await client
      .query(
        EventExportQuery,
        {
          ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
          ...(to ? { to: new Date(`${to}T23:59:59.999`).toISOString() } : {}),
          format,
        },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setBusy(false);
    const file = result.data?.eventExport;
    if (result.error || !file) {
      setError(result.error ?? null);
      return;
    }
    const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setDone({ filename: file.filename, rows: file.rows });
  }

  return (
    <Panel title={t('audit.export')} className="export-panel">
      <p className="help">{t('audit.exportHelp')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field-row">
          <Field label={t('audit.exportFrom')}>{(props) => <input {...props} name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
          <Field label={t('audit.exportTo')}>{(props) => <input {...props} name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
          <Field label={t('audit.format')}>
            {(props) => (
              <select {...props} name="format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
                <option value="json_lines">{t('audit.formatJson')}</option>
                <option value="csv">{t('audit.formatCsv')}</option>
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('audit.exporting') : t('audit.exportButton')}
        </button>
      </form>
      <ErrorMessage error={error} />
      {done ? <SuccessMessage>{t('audit.exported', { filename: done.filename, count: done.rows })}</SuccessMessage> : null}
    </Panel>
  );
}
