import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralStatus } from '../gql/graphql';

/** A labelled form control with its help text and error, wired with aria-describedby / aria-invalid. */
export function Field({
  label,
  help,
  error,
  optional,
  children,
}: {
  label: string;
  help?: ReactNode;
  error?: string | null;
  optional?: boolean;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> {t('app.optional')}</span> : null}
      </label>
      {help ? (
        <p className="help" id={helpId}>
          {help}
        </p>
      ) : null}
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true } : {}) })}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function StatusBadge({ status }: { status: ReferralStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return <span className="badge badge-overdue">{t('list.overdueBadge')}</span>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

export function Panel({ title, children, id, headingLevel = 2, className }: { title: string; children: ReactNode; id?: string; headingLevel?: 2 | 3; className?: string }) {
  const headingId = useId();
  const Heading = `h${headingLevel}` as const;
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} aria-labelledby={headingId} id={id}>
      <Heading id={headingId}>{title}</Heading>
      {children}
    </section>
  );
}

/** A definition list of label/value pairs, skipping empty ones. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value ?? '–'}</dd>
        </div>
      ))}
    </dl>
  );
}
