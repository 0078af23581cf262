import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError } from '../api/client';

/** Loading announces, politely, that content is on its way. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="loading">
      {t('app.loading')}
    </p>
  );
}

/** ErrorMessage shows an error translated from its API code. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="error">
      <h2>{t('errors.title')}</h2>
      <p>{errorText(t, error)}</p>
    </div>
  );
}

/** A read's state, as TanStack Query's results have it. */
export interface ReadState {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

/**
 * QueryState shows where a read stands: loading, failed, or loaded with
 * nothing in it (empty, when given: the caller says when the data is empty).
 */
export function QueryState({ query, empty, emptyClassName }: { query: ReadState; empty?: ReactNode; emptyClassName?: string }) {
  return (
    <>
      {query.isPending && <Loading />}
      {query.isError && <ErrorMessage error={query.error} />}
      {!query.isPending && !query.isError && empty ? <p className={emptyClassName}>{empty}</p> : null}
    </>
  );
}

/**
 * errorText translates an error's code, falling back to a generic message;
 * when the server said how long to wait (Retry-After), it says so too.
 */
export function errorText(t: (key: string, opts?: Record<string, unknown>) => string, error: unknown): string {
  const code = error instanceof AppError ? error.code : 'network';
  const text = t(`errors.${code}`, { defaultValue: t('errors.unknown') });
  if (error instanceof AppError && error.retryAfter != null && error.retryAfter > 0) {
    return `${text} ${t('errors.retryAfter', { count: error.retryAfter })}`;
  }
  return text;
}

/**
 * useDocumentTitle sets the browser tab's title for the current page; with skip,
 * it leaves the title to a child that sets its own (children's effects run first).
 */
export function useDocumentTitle(title: string | undefined, skip = false) {
  const { t } = useTranslation();
  useEffect(() => {
    if (skip) return;
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, skip, t]);
}
