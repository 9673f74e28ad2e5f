import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { useOrganisation } from '../api/useOrganisation';
import type { Session } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field, Loading, Panel } from '../components/ui';
import { dateInputValue, dateTimeInputValue, isEmail, isKvkNumber, isPhone, isSbiCode } from '../format';
import type { MakeReferralMutation as MakeReferralResult, NeedCategory, SizeClass } from '../gql/graphql';
import { CityReferralsQuery, MakeReferralMutation, ServicesQuery } from '../graphql/operations';
import { NEEDS, OPEN_STATUSES } from '../referral/ReferralList';
import { uuid } from '../uuid';

const SIZES: readonly SizeClass[] = ['solo', 'micro', 'small', 'medium', 'large'];

interface FormState {
  kvk: string;
  businessName: string;
  sbiCode: string;
  sizeClass: SizeClass | '';
  contactName: string;
  email: string;
  phone: string;
  needCategory: NeedCategory | '';
  needDescription: string;
  serviceId: string;
  givenBy: string;
  givenAt: string;
  purpose: string;
  expiresAt: string;
  anonymousStatistics: '' | 'yes' | 'no';
}

const initial = (): FormState => ({
  kvk: '',
  businessName: '',
  sbiCode: '',
  sizeClass: '',
  contactName: '',
  email: '',
  phone: '',
  needCategory: '',
  needDescription: '',
  serviceId: '',
  givenBy: '',
  givenAt: dateTimeInputValue(new Date()),
  purpose: '',
  expiresAt: dateInputValue(new Date(Date.now() + 365 * 86_400_000)),
  anonymousStatistics: '',
});

type Made = MakeReferralResult['makeReferral'] & { partnerName: string };

/** City officer: refer an entrepreneur to a partner's service, with the consent form. */
export function NewReferralPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const organisation = useOrganisation(session);
  const [made, setMade] = useState<Made | null>(null);
  const [formKey, setFormKey] = useState(0);
  if (!organisation) return <Loading />;
  return (
    <div className="page new-referral-page">
      <h1>{t('newReferral.title')}</h1>
      <p className="lead">{t('newReferral.intro')}</p>
      {made ? (
        <MadeReferral
          made={made}
          again={() => {
            setMade(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <NewReferralForm key={formKey} cityId={session.organisationId} cityName={organisation.name} municipality={organisation.municipalityCode ?? null} onMade={setMade} />
      )}
    </div>
  );
}

function MadeReferral({ made, again }: { made: Made; again: () => void }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const duplicates = made.warnings.filter((w) => w.code === 'DUPLICATE_OPEN_REFERRALS');
  return (
    <div className="panel made-referral" ref={heading} tabIndex={-1}>
      <div className="alert alert-success" role="status">
        <p className="alert-title">{t('newReferral.success', { partner: made.partnerName })}</p>
      </div>
      {duplicates.length > 0 ? (
        <div className="alert alert-warning" role="alert" data-testid="duplicate-warning">
          <p className="alert-title">{t('newReferral.duplicateTitle')}</p>
          <p>{t('newReferral.duplicateAfter')}</p>
          {duplicates.map((warning) => (
            <div key={warning.message}>
              <p className="muted">{warning.message}</p>
              <ul>
                {warning.referralIds.map((id, index) => (
                  <li key={id}>
                    <Link to={`/referrals/${id}`}>{t('newReferral.openReferral', { n: index + 1 })}</Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
      <p className="form-buttons">
        <Link className="button button-primary" to={`/referrals/${made.referral.id}`}>
          {t('newReferral.view')}
        </Link>
        <button type="button" className="button" onClick={again}>
          {t('newReferral.another')}
        </button>
      </p>
    </div>
  );
}

function NewReferralForm({ cityId, cityName, municipality, onMade }: { cityId: string; cityName: string; municipality: string | null; onMade: (made: Made) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [form, setForm] = useState<FormState>(initial);
  const [touched, setTouched] = useState<Partial<Record<keyof FormState, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [givenByEdited, setGivenByEdited] = useState(false);
  const [purposeEdited, setPurposeEdited] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt] = useState(() => uuid());
  const summary = useRef<HTMLDivElement>(null);
  const [, makeReferral] = useMutation(MakeReferralMutation);

  const [services] = useQuery({ query: ServicesQuery, variables: { needCategory: form.needCategory || null, municipality }, pause: !form.needCategory });
  const serviceOptions = form.needCategory ? (services.data?.services ?? []) : [];
  const chosenService = serviceOptions.find((s) => s.id === form.serviceId) ?? null;

  const kvkValid = isKvkNumber(form.kvk);
  const [duplicates] = useQuery({ query: CityReferralsQuery, variables: { filter: { search: form.kvk, status: [...OPEN_STATUSES] }, first: 5, after: null }, pause: !kvkValid });
  const openDuplicates = kvkValid ? (duplicates.data?.cityReferrals.edges.map((e) => e.node).filter((n) => n.entrepreneur.kvkNumber === form.kvk) ?? []) : [];

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((current) => {
      const next = { ...current, [key]: value };
      if (key === 'contactName' && !givenByEdited) next.givenBy = value as string;
      if (key === 'needCategory') next.serviceId = '';
      return next;
    });
  const touch = (key: keyof FormState) => setTouched((current) => ({ ...current, [key]: true }));

  const defaultPurpose = chosenService && form.needCategory ? t('newReferral.purposeDefault', { partner: chosenService.organisation.name, need: t(`need.${form.needCategory}`).toLowerCase() }) : '';
  const purpose = purposeEdited ? form.purpose : defaultPurpose;

  const errors = useMemo(() => {
    const required = t('newReferral.required');
    const result: Partial<Record<keyof FormState, string>> = {};
    if (!form.kvk) result.kvk = required;
    else if (!kvkValid) result.kvk = t('newReferral.kvkInvalid');
    if (!form.businessName.trim()) result.businessName = required;
    if (form.sbiCode && !isSbiCode(form.sbiCode)) result.sbiCode = t('newReferral.sbiInvalid');
    if (!form.sizeClass) result.sizeClass = t('newReferral.chooseSize');
    if (!form.contactName.trim()) result.contactName = required;
    if (form.email && !isEmail(form.email)) result.email = t('newReferral.emailInvalid');
    if (form.phone && !isPhone(form.phone)) result.phone = t('newReferral.phoneInvalid');
    if (!form.needCategory) result.needCategory = t('newReferral.chooseNeed');
    if (!form.needDescription.trim()) result.needDescription = required;
    if (!form.serviceId) result.serviceId = form.needCategory ? required : t('newReferral.chooseNeedFirst');
    if (!form.givenBy.trim()) result.givenBy = required;
    if (!form.givenAt) result.givenAt = required;
    if (!purpose.trim()) result.purpose = required;
    if (!form.expiresAt) result.expiresAt = required;
    else if (form.givenAt && new Date(`${form.expiresAt}T23:59:00`) <= new Date(form.givenAt)) result.expiresAt = t('newReferral.expiresBeforeGiven');
    if (!form.anonymousStatistics) result.anonymousStatistics = required;
    return result;
  }, [form, kvkValid, purpose, t]);

  const show = (key: keyof FormState) => (submitted || touched[key] ? (errors[key] ?? null) : null);
  const errorCount = Object.keys(errors).length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    if (errorCount > 0 || !chosenService || !form.needCategory || !form.sizeClass) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setBusy(true);
    const result = await makeReferral({
      input: {
        clientMutationId: attempt,
        cityId,
        partnerId: chosenService.organisation.id,
        serviceId: chosenService.id,
        needCategory: form.needCategory,
        needDescription: form.needDescription.trim(),
        entrepreneur: { kvkNumber: form.kvk, businessName: form.businessName.trim(), sizeClass: form.sizeClass, ...(form.sbiCode ? { sbiCode: form.sbiCode } : {}) },
        contact: { name: form.contactName.trim(), ...(form.email ? { email: form.email.trim() } : {}), ...(form.phone ? { phone: form.phone.trim() } : {}) },
        consent: {
          givenBy: form.givenBy.trim(),
          givenAt: new Date(form.givenAt).toISOString(),
          purpose: purpose.trim(),
          expiresAt: new Date(`${form.expiresAt}T23:59:00`).toISOString(),
          anonymousStatistics: form.anonymousStatistics === 'yes',
        },
      },
    });
    setBusy(false);
    if (result.error || !result.data) {
      setError(result.error ?? null);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    onMade({ ...result.data.makeReferral, partnerName: chosenService.organisation.name });
  }

  const errorList = submitted && errorCount > 0;
  return (
    <form className="form referral-form" onSubmit={submit} noValidate>
      <div ref={summary} tabIndex={-1} className="form-summary">
        {errorList ? (
          <div className="alert alert-error" role="alert">
            <p className="alert-title">{t('newReferral.fixErrors')}</p>
          </div>
        ) : null}
        <ErrorMessage error={error} />
      </div>

      <Panel title={t('newReferral.entrepreneur')}>
        <div className="field-row">
          <Field label={t('newReferral.kvk')} help={kvkValid ? <span className="ok">✓ {t('newReferral.kvkOk')}</span> : t('newReferral.kvkHelp')} error={show('kvk')}>
            {(props) => (
              <input
                {...props}
                name="kvk"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                value={form.kvk}
                onChange={(e) => set('kvk', e.target.value.replace(/\D/g, '').slice(0, 8))}
                onBlur={() => touch('kvk')}
                required
              />
            )}
          </Field>
          <Field label={t('newReferral.businessName')} error={show('businessName')}>
            {(props) => <input {...props} name="businessName" autoComplete="organization" value={form.businessName} onChange={(e) => set('businessName', e.target.value)} onBlur={() => touch('businessName')} required />}
          </Field>
        </div>
        {openDuplicates.length > 0 ? (
          <div className="alert alert-warning" role="status" data-testid="duplicate-precheck">
            <p className="alert-title">{t('newReferral.duplicateTitle')}</p>
            <p>{t('newReferral.duplicateBefore', { count: openDuplicates.length })}</p>
            <ul>
              {openDuplicates.map((referral) => (
                <li key={referral.id}>
                  <Link to={`/referrals/${referral.id}`} target="_blank" rel="noreferrer">
                    {referral.entrepreneur.businessName} — {referral.partner.name} ({t(`status.${referral.status}`)})
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="field-row">
          <Field label={t('newReferral.sbi')} help={t('newReferral.sbiHelp')} optional error={show('sbiCode')}>
            {(props) => <input {...props} name="sbiCode" inputMode="numeric" value={form.sbiCode} onChange={(e) => set('sbiCode', e.target.value.replace(/\D/g, '').slice(0, 5))} onBlur={() => touch('sbiCode')} />}
          </Field>
          <Field label={t('newReferral.size')} error={show('sizeClass')}>
            {(props) => (
              <select {...props} name="sizeClass" value={form.sizeClass} onChange={(e) => set('sizeClass', e.target.value as SizeClass)} onBlur={() => touch('sizeClass')} required>
                <option value="">{t('newReferral.chooseSize')}</option>
                {SIZES.map((size) => (
                  <option key={size} value={size}>
                    {t(`size.${size}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </Panel>

      <Panel title={t('newReferral.contact')}>
        <Field label={t('newReferral.contactName')} error={show('contactName')}>
          {(props) => <input {...props} name="contactName" autoComplete="name" value={form.contactName} onChange={(e) => set('contactName', e.target.value)} onBlur={() => touch('contactName')} required />}
        </Field>
        <div className="field-row">
          <Field label={t('newReferral.email')} optional error={show('email')}>
            {(props) => <input {...props} name="email" type="email" autoComplete="email" value={form.email} onChange={(e) => set('email', e.target.value)} onBlur={() => touch('email')} />}
          </Field>
          <Field label={t('newReferral.phone')} optional error={show('phone')}>
            {(props) => <input {...props} name="phone" type="tel" autoComplete="tel" value={form.phone} onChange={(e) => set('phone', e.target.value)} onBlur={() => touch('phone')} />}
          </Field>
        </div>
      </Panel>

      <Panel title={t('newReferral.need')}>
        <Field label={t('newReferral.needCategory')} error={show('needCategory')}>
          {(props) => (
            <select {...props} name="needCategory" value={form.needCategory} onChange={(e) => set('needCategory', e.target.value as NeedCategory)} onBlur={() => touch('needCategory')} required>
              <option value="">{t('newReferral.chooseNeed')}</option>
              {NEEDS.map((need) => (
                <option key={need} value={need}>
                  {t(`need.${need}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('newReferral.needDescription')} help={t('newReferral.needDescriptionHelp')} error={show('needDescription')}>
          {(props) => <textarea {...props} name="needDescription" rows={3} value={form.needDescription} onChange={(e) => set('needDescription', e.target.value)} onBlur={() => touch('needDescription')} required />}
        </Field>
      </Panel>

      <Panel title={t('newReferral.partner')}>
        <fieldset className="service-choice" aria-describedby={`${ids}-services-help${show('serviceId') ? ` ${ids}-services-error` : ''}`} aria-invalid={show('serviceId') ? true : undefined}>
          <legend className="visually-hidden">{t('newReferral.partner')}</legend>
          <p className="help" id={`${ids}-services-help`}>
            {form.needCategory ? t('newReferral.partnerHelp', { city: cityName }) : t('newReferral.chooseNeedFirst')}
          </p>
          <ErrorMessage error={services.error} />
          {form.needCategory && services.fetching && serviceOptions.length === 0 ? <Loading /> : null}
          {form.needCategory && !services.fetching && serviceOptions.length === 0 && !services.error ? <p className="muted">{t('newReferral.noServices')}</p> : null}
          <div className="service-options">
            {serviceOptions.map((service) => (
              <label key={service.id} className={`service-option${form.serviceId === service.id ? ' is-chosen' : ''}`}>
                <input type="radio" name="serviceId" value={service.id} checked={form.serviceId === service.id} onChange={() => set('serviceId', service.id)} />
                <span className="service-body">
                  <span className="service-name">{service.name}</span>
                  <span className="service-partner">
                    {service.organisation.name} · {t(`orgKinds.${service.organisation.kind}`)} · {t('newReferral.slaDays', { count: service.slaWorkingDays })}
                  </span>
                  <span className="service-description">{service.description}</span>
                  {service.eligibilityNotes ? <span className="service-notes">{service.eligibilityNotes}</span> : null}
                </span>
              </label>
            ))}
          </div>
          {show('serviceId') ? (
            <p className="field-error" id={`${ids}-services-error`}>
              {show('serviceId')}
            </p>
          ) : null}
        </fieldset>
      </Panel>

      <Panel title={t('newReferral.consent')}>
        <p className="help">{t('newReferral.consentHelp')}</p>
        <div className="field-row">
          <Field label={t('newReferral.givenBy')} error={show('givenBy')}>
            {(props) => (
              <input
                {...props}
                name="givenBy"
                value={form.givenBy}
                onChange={(e) => {
                  setGivenByEdited(true);
                  set('givenBy', e.target.value);
                }}
                onBlur={() => touch('givenBy')}
                required
              />
            )}
          </Field>
          <Field label={t('newReferral.givenAt')} error={show('givenAt')}>
            {(props) => <input {...props} name="givenAt" type="datetime-local" value={form.givenAt} max={dateTimeInputValue(new Date())} onChange={(e) => set('givenAt', e.target.value)} required />}
          </Field>
        </div>
        <Field label={t('newReferral.purpose')} error={show('purpose')}>
          {(props) => (
            <input
              {...props}
              name="purpose"
              className="wide"
              value={purpose}
              onChange={(e) => {
                setPurposeEdited(true);
                set('purpose', e.target.value);
              }}
              onBlur={() => touch('purpose')}
              required
            />
          )}
        </Field>
        <Field label={t('newReferral.expiresAt')} error={show('expiresAt')}>
          {(props) => <input {...props} name="expiresAt" type="date" value={form.expiresAt} onChange={(e) => set('expiresAt', e.target.value)} required />}
        </Field>
        <fieldset className={`radio-group${show('anonymousStatistics') ? ' field-invalid' : ''}`} aria-describedby={show('anonymousStatistics') ? `${ids}-anon-error` : undefined}>
          <legend>{t('newReferral.anonymousStatistics')}</legend>
          <label>
            <input type="radio" name="anonymousStatistics" value="yes" checked={form.anonymousStatistics === 'yes'} onChange={() => set('anonymousStatistics', 'yes')} /> {t('app.yes')}
          </label>
          <label>
            <input type="radio" name="anonymousStatistics" value="no" checked={form.anonymousStatistics === 'no'} onChange={() => set('anonymousStatistics', 'no')} /> {t('app.no')}
          </label>
          {show('anonymousStatistics') ? (
            <p className="field-error" id={`${ids}-anon-error`}>
              {show('anonymousStatistics')}
            </p>
          ) : null}
        </fieldset>
      </Panel>

      <div className="form-buttons">
        <button type="submit" className="button button-primary button-large" disabled={busy}>
          {busy ? t('newReferral.submitting') : t('newReferral.submit')}
        </button>
      </div>
    </form>
  );
}
