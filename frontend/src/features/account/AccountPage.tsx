import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useDocumentTitle } from '../../components/status';
import { changeName, changePassword, deleteAccount, resendVerification } from './actions';
import { ErrorSummary, Field, SubmitButton, useSubmit } from '../../components/form';
import { useAccount } from '../../lib/useAccount';

/** AccountPage lets a signed-in person manage their account. */
export function AccountPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.page.title'));
  const account = useAccount();
  const navigate = useNavigate();
  const [name, setName] = useState(account?.display_name ?? '');
  const [saved, setSaved] = useState(false);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [deletePassword, setDeletePassword] = useState('');
  const [resent, setResent] = useState(false);

  const nameForm = useSubmit(async () => {
    setSaved(false);
    await changeName(name);
    setSaved(true);
  });
  const passwordForm = useSubmit(async () => {
    await changePassword(current, next);
    navigate('/login', { state: { notice: 'account.page.passwordChanged' } });
  });
  const deleteForm = useSubmit(async () => {
    await deleteAccount(deletePassword);
    navigate('/', { replace: true });
  });
  const resendForm = useSubmit(async () => {
    await resendVerification();
    setResent(true);
  });

  if (!account) {
    return (
      <>
        <h1>{t('account.page.title')}</h1>
        <p>
          <Link to="/login">{t('account.page.signInFirst')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('account.page.title')}</h1>
      <p>
        {t('account.page.email', { email: account.email })}{' '}
        {account.email_verified ? t('account.page.verified') : t('account.page.unverified')}
      </p>
      {!account.email_verified && (
        <form onSubmit={resendForm.onSubmit}>
          <ErrorSummary error={resendForm.error} summaryRef={resendForm.summary} />
          {resent ? <p role="status">{t('account.page.resent')}</p> : <SubmitButton pending={resendForm.pending}>{t('account.page.resend')}</SubmitButton>}
        </form>
      )}

      <p>
        <Link to="/account/moderation">{t('myModeration.title')}</Link>
      </p>

      <section aria-labelledby="name-heading">
        <h2 id="name-heading">{t('account.displayName')}</h2>
        <form onSubmit={nameForm.onSubmit} noValidate>
          <ErrorSummary error={nameForm.error} summaryRef={nameForm.summary} />
          <Field name="display_name" autoComplete="name" label={t('account.displayName')} value={name} onChange={setName} error={nameForm.fieldError('display_name')} />
          <SubmitButton pending={nameForm.pending}>{t('account.page.saveName')}</SubmitButton>
          {saved && <p role="status">{t('account.page.saved')}</p>}
        </form>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{t('account.page.passwordTitle')}</h2>
        <form onSubmit={passwordForm.onSubmit} noValidate>
          <ErrorSummary error={passwordForm.error} summaryRef={passwordForm.summary} />
          <Field name="current_password" type="password" autoComplete="current-password" label={t('account.currentPassword')} value={current} onChange={setCurrent} error={passwordForm.fieldError('current_password')} />
          <Field name="new_password" type="password" autoComplete="new-password" label={t('account.newPassword')} hint={t('account.passwordHint')} value={next} onChange={setNext} error={passwordForm.fieldError('new_password')} />
          <SubmitButton pending={passwordForm.pending}>{t('account.page.changePassword')}</SubmitButton>
        </form>
      </section>

      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t('account.page.deleteTitle')}</h2>
        <p>{t('account.page.deleteExplain')}</p>
        {!confirming ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('account.page.delete')}
          </button>
        ) : (
          <form onSubmit={deleteForm.onSubmit} noValidate>
            <ErrorSummary error={deleteForm.error} summaryRef={deleteForm.summary} />
            <Field name="password" type="password" autoComplete="current-password" label={t('account.page.deleteConfirm')} value={deletePassword} onChange={setDeletePassword} error={deleteForm.fieldError('password')} />
            <SubmitButton pending={deleteForm.pending}>{t('account.page.deleteForever')}</SubmitButton>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              {t('account.page.cancel')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}
