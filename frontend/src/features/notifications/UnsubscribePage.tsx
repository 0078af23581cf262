import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorSummary, SubmitButton } from '../../components/form';
import { useDocumentTitle } from '../../components/status';
import { handleSubmit } from '../../lib/forms';
import { useUnsubscribe } from './queries';

/**
 * UnsubscribePage is where an e-mail's "stop e-mails of this kind" link
 * leads (/unsubscribe?token=...): one button that sends the token, then a
 * confirmation. No sign-in: the signed token is the credential, and it only
 * stops that one kind of e-mail for that one account.
 */
export function UnsubscribePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('unsubscribe.title'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const stop = useUnsubscribe();
  return (
    <div className="unsubscribe">
      <h1>{t('unsubscribe.title')}</h1>
      {!token ? (
        <p>{t('unsubscribe.noToken')}</p>
      ) : stop.isSuccess ? (
        <p role="status">{t('unsubscribe.done')}</p>
      ) : (
        <form onSubmit={handleSubmit(() => stop.mutate(token))} noValidate>
          <p>{t('unsubscribe.intro')}</p>
          <ErrorSummary error={stop.error} />
          <SubmitButton pending={stop.isPending}>{t('unsubscribe.button')}</SubmitButton>
        </form>
      )}
      <p>
        <Link to="/account#notification-settings-heading">{t('unsubscribe.settings')}</Link>
      </p>
    </div>
  );
}
