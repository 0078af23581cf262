import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorSummary, Field, SubmitButton } from '../../components/form';
import { useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { FollowsList } from '../notifications/FollowsList';
import { NotificationSettings } from '../notifications/NotificationSettings';
import { useChangeName, useChangePassword, useDeleteAccount, useResendVerification } from './mutations';

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
  const changeName = useChangeName();
  const changePassword = useChangePassword();
  const deleteAccount = useDeleteAccount();
  const resend = useResendVerification();

  function saveName() {
    setSaved(false);
    changeName.mutate(name, { onSuccess: () => setSaved(true) });
  }
  const savePassword = () => changePassword.mutate({ current, next }, { onSuccess: () => navigate('/login', { state: { notice: 'account.page.passwordChanged' } }) });
  const erase = () => deleteAccount.mutate(deletePassword, { onSuccess: () => navigate('/', { replace: true }) });

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
      <p className="account-email">
        {t('account.page.email', { email: account.email })}{' '}
        {account.email_verified ? t('account.page.verified') : t('account.page.unverified')}
      </p>
      {!account.email_verified && (
        <form onSubmit={handleSubmit(() => resend.mutate())}>
          <ErrorSummary error={resend.error} />
          {resend.isSuccess ? <p role="status">{t('account.page.resent')}</p> : <SubmitButton pending={resend.isPending}>{t('account.page.resend')}</SubmitButton>}
        </form>
      )}

      <ul className="idea-links">
        <li>
          <Link to="/account/comments">{t('account.menu.comments')}</Link>
        </li>
        <li>
          <Link to="/account/moderation">{t('myModeration.title')}</Link>
        </li>
        <li>
          <Link to="/account/notifications">{t('notifications.title')}</Link>
        </li>
      </ul>

      <FollowsList />
      <NotificationSettings />

      <section aria-labelledby="name-heading">
        <h2 id="name-heading">{t('account.displayName')}</h2>
        <form onSubmit={handleSubmit(saveName)} noValidate>
          <ErrorSummary error={changeName.error} />
          <Field name="display_name" autoComplete="name" label={t('account.displayName')} value={name} onChange={setName} error={fieldError(changeName.error, 'display_name')} />
          <SubmitButton pending={changeName.isPending}>{t('account.page.saveName')}</SubmitButton>
          {saved && <p role="status">{t('account.page.saved')}</p>}
        </form>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{t('account.page.passwordTitle')}</h2>
        <form onSubmit={handleSubmit(savePassword)} noValidate>
          <ErrorSummary error={changePassword.error} />
          <Field name="current_password" type="password" autoComplete="current-password" label={t('account.currentPassword')} value={current} onChange={setCurrent} error={fieldError(changePassword.error, 'current_password')} />
          <Field name="new_password" type="password" autoComplete="new-password" label={t('account.newPassword')} hint={t('account.passwordHint')} value={next} onChange={setNext} error={fieldError(changePassword.error, 'new_password')} />
          <SubmitButton pending={changePassword.isPending}>{t('account.page.changePassword')}</SubmitButton>
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
          <form onSubmit={handleSubmit(erase)} noValidate>
            <ErrorSummary error={deleteAccount.error} />
            <Field name="password" type="password" autoComplete="current-password" label={t('account.page.deleteConfirm')} value={deletePassword} onChange={setDeletePassword} error={fieldError(deleteAccount.error, 'password')} />
            <SubmitButton pending={deleteAccount.isPending}>{t('account.page.deleteForever')}</SubmitButton>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              {t('account.page.cancel')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}
