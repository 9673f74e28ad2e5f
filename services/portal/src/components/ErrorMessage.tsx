import type { CombinedError } from 'urql';
import { useTranslation } from 'react-i18next';
import { problemsOf } from '../api/errors';

/** An API error as a readable message: a title for its code, the server's words, and what to do about it. */
export function ErrorMessage({ error, title }: { error: CombinedError | Error | null | undefined; title?: string }) {
  const { t } = useTranslation();
  const problems = problemsOf(error);
  if (problems.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      {problems.map((problem, index) => {
        const hint = problem.field === 'consent' ? t('errors.hint.consent') : t(`errors.hint.${problem.code}`, { defaultValue: '' });
        return (
          <div key={index} className="alert-item" data-error-code={problem.code}>
            <p className="alert-title">{title ?? t(`errors.title.${problem.code}`, { defaultValue: t('errors.title.UNKNOWN') })}</p>
            <p>{problem.message}</p>
            {hint ? <p className="alert-hint">{hint}</p> : null}
          </div>
        );
      })}
    </div>
  );
}

export function SuccessMessage({ children }: { children: React.ReactNode }) {
  return (
    <div className="alert alert-success" role="status">
      {children}
    </div>
  );
}
