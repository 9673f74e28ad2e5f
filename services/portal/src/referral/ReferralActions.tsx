import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { hasRole, type Session } from '../auth/session';
import { ErrorMessage, SuccessMessage } from '../components/ErrorMessage';
import { Field, Panel } from '../components/ui';
import { dateInputValue, parseEuros } from '../format';
import type { DeclineReason, OutcomeCode } from '../gql/graphql';
import {
  AcceptReferralMutation,
  CloseReferralMutation,
  DeclineReferralMutation,
  ForwardReferralMutation,
  GiveConsentMutation,
  ProvideInformationMutation,
  RecordOutcomeMutation,
  RequestInformationMutation,
  ServicesQuery,
  StartWorkMutation,
  WithdrawReferralMutation,
} from '../graphql/operations';
import { uuid } from '../uuid';
import type { ReferralDetail } from './ReferralSummary';

const DECLINE_REASONS: readonly DeclineReason[] = ['no_capacity', 'outside_service_area', 'not_eligible', 'missing_information', 'better_fit_elsewhere', 'entrepreneur_unreachable', 'other'];
const OUTCOME_CODES: readonly OutcomeCode[] = ['financing_granted', 'subsidy_granted', 'loan_or_guarantee', 'advice_given', 'coaching_started', 'permit_granted', 'no_fit', 'entrepreneur_withdrew', 'other'];
export const OUTCOMES_WITH_AMOUNT: readonly OutcomeCode[] = ['financing_granted', 'subsidy_granted', 'loan_or_guarantee'];

type Form = 'decline' | 'requestInfo' | 'forward' | 'recordOutcome' | 'provideInfo' | 'withdraw' | 'giveConsent';
type Outcome = { error?: CombinedError | undefined; data?: unknown };

/**
 * What the signed-in user may do with this referral now: a partner agent of the addressed organisation
 * works it, an officer of the referring city answers questions and may withdraw it. Everything else the
 * server decides again (and its refusals are shown as they come).
 */
export function ReferralActions({ referral, session }: { referral: ReferralDetail; session: Session }) {
  const { t } = useTranslation();
  const isPartner = hasRole(session, 'partner_agent') && referral.partner.id === session.organisationId;
  const isCity = hasRole(session, 'city_officer') && referral.city.id === session.organisationId;
  const [open, setOpen] = useState<Form | null>(null);
  const [success, setSuccess] = useState<ReactNode>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(() => uuid());

  const [, accept] = useMutation(AcceptReferralMutation);
  const [, start] = useMutation(StartWorkMutation);
  const [, close] = useMutation(CloseReferralMutation);

  if (!isPartner && !isCity) return null;
  const status = referral.status;
  const base = { referralId: referral.id, expectedVersion: referral.version };

  async function run(work: () => Promise<Outcome>, message: ReactNode) {
    setBusy(true);
    setError(null);
    setSuccess(null);
    const result = await work();
    setBusy(false);
    if (result.error) {
      setError(result.error);
      return false;
    }
    setSuccess(message);
    setOpen(null);
    setAttempt(uuid());
    return true;
  }

  const toggle = (form: Form) => {
    setError(null);
    setSuccess(null);
    setOpen((current) => (current === form ? null : form));
    setAttempt(uuid());
  };
  const formProps = {
    referral,
    base,
    busy,
    run,
    attempt,
    cancel: () => {
      setOpen(null);
      setError(null);
    },
  };

  const partnerButtons: { form?: Form; label: string; onClick?: () => void; primary?: boolean }[] = [];
  if (isPartner) {
    if (status === 'sent') partnerButtons.push({ label: t('actions.accept'), primary: true, onClick: () => void run(() => accept({ input: { ...base, clientMutationId: attempt } }), t('actions.accepted')) });
    if (status === 'accepted') partnerButtons.push({ label: t('actions.start'), primary: true, onClick: () => void run(() => start({ input: { ...base, clientMutationId: attempt } }), t('actions.started')) });
    if (['accepted', 'in_progress', 'completed'].includes(status)) partnerButtons.push({ form: 'recordOutcome', label: t('actions.recordOutcome'), primary: status !== 'accepted' });
    if (status === 'sent') partnerButtons.push({ form: 'decline', label: t('actions.decline') });
    if (['sent', 'accepted'].includes(status)) partnerButtons.push({ form: 'requestInfo', label: t('actions.requestInfo') });
    if (['sent', 'accepted', 'in_progress'].includes(status)) partnerButtons.push({ form: 'forward', label: t('actions.forward') });
    if (['accepted', 'in_progress'].includes(status) && referral.outcomes.length > 0)
      partnerButtons.push({ label: t('actions.close'), onClick: () => void run(() => close({ input: { ...base, clientMutationId: attempt } }), t('actions.closed')) });
  }
  const cityButtons: { form: Form; label: string; primary?: boolean }[] = [];
  if (isCity) {
    if (status === 'on_hold') cityButtons.push({ form: 'provideInfo', label: t('actions.provideInfo'), primary: true });
    if (['sent', 'accepted', 'in_progress'].includes(status) && referral.personalData === 'visible') cityButtons.push({ form: 'giveConsent', label: t('actions.giveConsent') });
    if (['sent', 'accepted', 'in_progress', 'on_hold'].includes(status)) cityButtons.push({ form: 'withdraw', label: t('actions.withdraw') });
  }
  const buttons = [...partnerButtons, ...cityButtons];
  const openQuestion = [...referral.informationExchanges].reverse().find((exchange) => !exchange.providedAt);

  return (
    <Panel title={t('actions.title')} className="actions-panel">
      {success ? <SuccessMessage>{success}</SuccessMessage> : null}
      <ErrorMessage error={error} />
      {isPartner && status === 'on_hold' ? <p className="help">{t('actions.waitingForCity')}</p> : null}
      {isCity && status === 'on_hold' && openQuestion ? (
        <div className="open-question">
          <p>
            <strong>{t('actions.openQuestion')}</strong>
          </p>
          <p className="quote">{openQuestion.question ?? t('referral.hiddenText')}</p>
        </div>
      ) : null}
      {buttons.length === 0 && !(isPartner && status === 'on_hold') ? <p className="muted">{t('actions.none')}</p> : null}
      <div className="action-buttons">
        {buttons.map((button) =>
          'form' in button && button.form ? (
            <button
              key={button.label}
              type="button"
              className={`button${button.primary ? ' button-primary' : ''}`}
              aria-expanded={open === button.form}
              aria-controls={`action-${button.form}`}
              onClick={() => toggle(button.form as Form)}
              disabled={busy}
            >
              {button.label}
            </button>
          ) : (
            <button key={button.label} type="button" className={`button${button.primary ? ' button-primary' : ''}`} onClick={(button as { onClick: () => void }).onClick} disabled={busy}>
              {button.label}
            </button>
          ),
        )}
      </div>
      {open ? (
        <div id={`action-${open}`} className="action-form">
          {open === 'decline' ? <DeclineForm {...formProps} /> : null}
          {open === 'requestInfo' ? <TextForm {...formProps} kind="requestInfo" /> : null}
          {open === 'provideInfo' ? <TextForm {...formProps} kind="provideInfo" /> : null}
          {open === 'withdraw' ? <TextForm {...formProps} kind="withdraw" /> : null}
          {open === 'forward' ? <ForwardForm {...formProps} /> : null}
          {open === 'recordOutcome' ? <OutcomeForm {...formProps} /> : null}
          {open === 'giveConsent' ? <ConsentForm {...formProps} /> : null}
        </div>
      ) : null}
    </Panel>
  );
}

interface FormProps {
  referral: ReferralDetail;
  base: { referralId: string; expectedVersion: number };
  busy: boolean;
  attempt: string;
  run: (work: () => Promise<Outcome>, message: ReactNode) => Promise<boolean>;
  cancel: () => void;
}

function Buttons({ busy, cancel, label }: { busy: boolean; cancel: () => void; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="form-buttons">
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t('actions.working') : label}
      </button>
      <button type="button" className="button button-quiet" onClick={cancel}>
        {t('app.cancel')}
      </button>
    </div>
  );
}

function DeclineForm({ base, busy, run, cancel, attempt }: FormProps) {
  const { t } = useTranslation();
  const [, decline] = useMutation(DeclineReferralMutation);
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [explanation, setExplanation] = useState('');
  const [tried, setTried] = useState(false);
  const reasonError = tried && !reason ? t('actions.chooseReason') : null;
  const explanationError = tried && reason === 'other' && explanation.trim() === '' ? t('actions.explanationRequired') : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!reason || (reason === 'other' && explanation.trim() === '')) return;
    void run(() => decline({ input: { ...base, clientMutationId: attempt, reason, ...(explanation.trim() ? { explanation: explanation.trim() } : {}) } }), t('actions.declined'));
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label={t('actions.decline')}>
      <Field label={t('actions.declineReason')} error={reasonError}>
        {(props) => (
          <select {...props} name="reason" value={reason} onChange={(e) => setReason(e.target.value as DeclineReason)} required>
            <option value="">{t('actions.chooseReason')}</option>
            {DECLINE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`declineReason.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('actions.explanation')} optional={reason !== 'other'} error={explanationError}>
        {(props) => <textarea {...props} name="explanation" rows={3} value={explanation} onChange={(e) => setExplanation(e.target.value)} required={reason === 'other'} />}
      </Field>
      <Buttons busy={busy} cancel={cancel} label={t('actions.decline')} />
    </form>
  );
}

function TextForm({ base, busy, run, cancel, attempt, kind }: FormProps & { kind: 'requestInfo' | 'provideInfo' | 'withdraw' }) {
  const { t } = useTranslation();
  const [, request] = useMutation(RequestInformationMutation);
  const [, provide] = useMutation(ProvideInformationMutation);
  const [, withdraw] = useMutation(WithdrawReferralMutation);
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const labels = {
    requestInfo: [t('actions.question'), t('actions.questionRequired'), t('actions.requestInfo'), t('actions.requested')],
    provideInfo: [t('actions.answer'), t('actions.answerRequired'), t('actions.provideInfo'), t('actions.provided')],
    withdraw: [t('actions.withdrawReason'), t('actions.withdrawReasonRequired'), t('actions.withdraw'), t('actions.withdrawn')],
  }[kind] as [string, string, string, string];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const value = text.trim();
    if (!value) return;
    const input = { ...base, clientMutationId: attempt };
    void run(
      () => (kind === 'requestInfo' ? request({ input: { ...input, question: value } }) : kind === 'provideInfo' ? provide({ input: { ...input, answer: value } }) : withdraw({ input: { ...input, reason: value } })),
      labels[3],
    );
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label={labels[2]}>
      <Field label={labels[0]} error={tried && !text.trim() ? labels[1] : null}>
        {(props) => <textarea {...props} name={kind} rows={4} value={text} onChange={(e) => setText(e.target.value)} required />}
      </Field>
      <Buttons busy={busy} cancel={cancel} label={labels[2]} />
    </form>
  );
}

function ForwardForm({ referral, base, busy, run, cancel, attempt }: FormProps) {
  const { t } = useTranslation();
  const [, forward] = useMutation(ForwardReferralMutation);
  const [services] = useQuery({ query: ServicesQuery, variables: { needCategory: referral.needCategory, municipality: referral.city.municipalityCode ?? null } });
  const options = (services.data?.services ?? []).filter((service) => service.organisation.id !== referral.partner.id);
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const service = options.find((s) => s.id === choice);
    if (!service) return;
    void run(
      () => forward({ input: { ...base, clientMutationId: attempt, toPartnerId: service.organisation.id, toServiceId: service.id, ...(reason.trim() ? { reason: reason.trim() } : {}) } }),
      t('actions.forwarded'),
    );
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label={t('actions.forward')}>
      <ErrorMessage error={services.error} />
      <Field label={t('actions.forwardTo')} help={t('actions.forwardHelp', { city: referral.city.name })} error={tried && !choice ? t('actions.chooseService') : null}>
        {(props) => (
          <select {...props} name="service" value={choice} onChange={(e) => setChoice(e.target.value)} required disabled={options.length === 0}>
            <option value="">{options.length === 0 && !services.fetching ? t('actions.noServices') : t('actions.chooseService')}</option>
            {options.map((service) => (
              <option key={service.id} value={service.id}>
                {service.organisation.name} — {service.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('actions.forwardReason')} optional>
        {(props) => <textarea {...props} name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <p className="help">{t('actions.forwardConsentNote')}</p>
      <Buttons busy={busy} cancel={cancel} label={t('actions.forward')} />
    </form>
  );
}

/** When the outcome happened, as an instant: now for today, otherwise noon that day, never before the referral. */
function occurredInstant(date: string, sentAt: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const now = new Date();
  if (date === dateInputValue(now)) return now.toISOString();
  const noon = new Date(`${date}T12:00:00`);
  if (Number.isNaN(noon.getTime()) || noon > now) return null;
  if (noon.getTime() < Date.parse(sentAt)) return dateInputValue(new Date(sentAt)) === date ? new Date(sentAt).toISOString() : null;
  return noon.toISOString();
}

function OutcomeForm({ referral, base, busy, run, cancel, attempt }: FormProps) {
  const { t } = useTranslation();
  const [, record] = useMutation(RecordOutcomeMutation);
  const [code, setCode] = useState<OutcomeCode | ''>('');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(() => dateInputValue(new Date()));
  const [jobsRetained, setJobsRetained] = useState('');
  const [jobsCreated, setJobsCreated] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const needsAmount = !!code && OUTCOMES_WITH_AMOUNT.includes(code);
  const cents = needsAmount ? parseEuros(amount) : null;
  const occurredAt = occurredInstant(date, referral.sentAt);
  const errors = {
    code: !code ? t('actions.chooseOutcome') : null,
    amount: needsAmount && (cents === null || cents <= 0) ? t('actions.amountInvalid') : null,
    date: !occurredAt ? t('actions.occurredAtInvalid') : null,
  };
  const jobs = (value: string) => (value.trim() === '' ? null : Number(value));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!code || errors.amount || !occurredAt) return;
    void run(
      () =>
        record({
          input: {
            ...base,
            clientMutationId: attempt,
            code,
            amountCents: needsAmount ? cents : null,
            occurredAt,
            jobsRetained: jobs(jobsRetained),
            jobsCreated: jobs(jobsCreated),
            ...(note.trim() ? { note: note.trim() } : {}),
          },
        }),
      t('actions.outcomeRecorded'),
    );
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label={t('actions.recordOutcome')}>
      <Field label={t('actions.outcomeCode')} error={tried ? errors.code : null}>
        {(props) => (
          <select {...props} name="code" value={code} onChange={(e) => setCode(e.target.value as OutcomeCode)} required>
            <option value="">{t('actions.chooseOutcome')}</option>
            {OUTCOME_CODES.map((c) => (
              <option key={c} value={c}>
                {t(`outcome.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {needsAmount ? (
        <Field label={t('actions.amount')} help={t('actions.amountHelp')} error={tried ? errors.amount : null}>
          {(props) => <input {...props} name="amount" type="text" inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} required />}
        </Field>
      ) : null}
      <Field label={t('actions.occurredAt')} error={tried ? errors.date : null}>
        {(props) => <input {...props} name="occurredAt" type="date" value={date} max={dateInputValue(new Date())} onChange={(e) => setDate(e.target.value)} required />}
      </Field>
      <div className="field-row">
        <Field label={t('actions.jobsRetained')} optional>
          {(props) => <input {...props} name="jobsRetained" type="number" min={0} step={1} inputMode="numeric" value={jobsRetained} onChange={(e) => setJobsRetained(e.target.value)} />}
        </Field>
        <Field label={t('actions.jobsCreated')} optional>
          {(props) => <input {...props} name="jobsCreated" type="number" min={0} step={1} inputMode="numeric" value={jobsCreated} onChange={(e) => setJobsCreated(e.target.value)} />}
        </Field>
      </div>
      <Field label={t('actions.note')} optional>
        {(props) => <textarea {...props} name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <Buttons busy={busy} cancel={cancel} label={t('actions.recordOutcome')} />
    </form>
  );
}

/** City: record the entrepreneur's consent for another partner (which a forward to that partner needs). */
function ConsentForm({ referral, busy, run, cancel, attempt }: FormProps) {
  const { t } = useTranslation();
  const id = useId();
  const [, giveConsent] = useMutation(GiveConsentMutation);
  const [services] = useQuery({ query: ServicesQuery, variables: { needCategory: referral.needCategory, municipality: referral.city.municipalityCode ?? null } });
  const partners = useMemo(() => {
    const byId = new Map<string, string>();
    for (const service of services.data?.services ?? []) if (service.organisation.id !== referral.partner.id) byId.set(service.organisation.id, service.organisation.name);
    return [...byId.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [services.data, referral.partner.id]);
  const [partnerId, setPartnerId] = useState('');
  const [givenBy, setGivenBy] = useState(referral.contact?.name ?? '');
  const [purpose, setPurpose] = useState('');
  const [expires, setExpires] = useState(() => dateInputValue(new Date(Date.now() + 365 * 86_400_000)));
  const [anonymous, setAnonymous] = useState(referral.consent.anonymousStatistics);
  const [tried, setTried] = useState(false);
  const partnerName = partners.find(([pid]) => pid === partnerId)?.[1] ?? '';
  const purposeText = purpose || (partnerName ? t('newReferral.purposeDefault', { partner: partnerName, need: t(`need.${referral.needCategory}`).toLowerCase() }) : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!partnerId || !givenBy.trim() || !purposeText.trim() || !expires) return;
    void run(
      () =>
        giveConsent({
          input: {
            clientMutationId: attempt,
            subjectId: referral.consent.subjectId,
            cityId: referral.city.id,
            partnerId,
            givenBy: givenBy.trim(),
            givenAt: new Date().toISOString(),
            purpose: purposeText.trim(),
            expiresAt: new Date(`${expires}T23:59:00`).toISOString(),
            anonymousStatistics: anonymous,
          },
        }),
      t('actions.consentGiven'),
    );
  };
  return (
    <form onSubmit={submit} className="form" noValidate aria-label={t('actions.giveConsent')}>
      <Field label={t('actions.consentPartner')} error={tried && !partnerId ? t('actions.choosePartner') : null}>
        {(props) => (
          <select {...props} name="partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)} required>
            <option value="">{t('actions.choosePartner')}</option>
            {partners.map(([pid, name]) => (
              <option key={pid} value={pid}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('newReferral.givenBy')} error={tried && !givenBy.trim() ? t('newReferral.required') : null}>
        {(props) => <input {...props} name="givenBy" value={givenBy} onChange={(e) => setGivenBy(e.target.value)} required />}
      </Field>
      <Field label={t('newReferral.purpose')}>{(props) => <input {...props} name="purpose" value={purposeText} onChange={(e) => setPurpose(e.target.value)} required />}</Field>
      <Field label={t('newReferral.expiresAt')}>{(props) => <input {...props} name="expiresAt" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} required />}</Field>
      <fieldset className="radio-group">
        <legend id={id}>{t('newReferral.anonymousStatistics')}</legend>
        <label>
          <input type="radio" name="consentAnonymous" checked={anonymous} onChange={() => setAnonymous(true)} /> {t('app.yes')}
        </label>
        <label>
          <input type="radio" name="consentAnonymous" checked={!anonymous} onChange={() => setAnonymous(false)} /> {t('app.no')}
        </label>
      </fieldset>
      <Buttons busy={busy} cancel={cancel} label={t('actions.giveConsent')} />
    </form>
  );
}
