import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { useAccount } from '../../lib/useAccount';
import { useSignOut } from './mutations';

/** SessionMenu says who is signed in, with links to the account and to sign out. */
export function SessionMenu() {
  const { t } = useTranslation();
  const account = useAccount();
  const navigate = useNavigate();
  const signOut = useSignOut();
  if (!account) {
    return (
      <ul className="session-menu">
        <li>
          <Link to="/login">{t('account.menu.signIn')}</Link>
        </li>
        <li>
          <Link to="/signup">{t('account.menu.signUp')}</Link>
        </li>
      </ul>
    );
  }
  return (
    <ul className="session-menu">
      <li>{t('account.menu.signedInAs', { name: account.display_name })}</li>
      <li>
        <Link to="/account">{t('account.menu.account')}</Link>
      </li>
      <li>
        <Link to="/account/comments">{t('account.menu.comments')}</Link>
      </li>
      <li>
        <Link to="/account/moderation">{t('account.menu.moderation')}</Link>
      </li>
      <li>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            signOut.mutate(undefined, { onSuccess: () => navigate('/') });
          }}
        >
          {t('account.menu.signOut')}
        </button>
      </li>
    </ul>
  );
}
