import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { AppError } from '../../api/client';
import { errorText } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { useSupport } from './mutations';
import { ideaIsOpen, useMySupports, type Idea, type MySupports } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * refusalText explains why a support was refused. The rule codes get the
 * person's own numbers (their limit, the idea's theme) when they are known.
 */
export function refusalText(t: T, err: unknown, mine: MySupports | undefined, idea: Idea): string {
  if (err instanceof AppError) {
    if (err.code === 'idea.support_limit' && mine && mine.support_limit > 0) return t('support.refused.supportLimit', { count: mine.support_limit });
    if (err.code === 'idea.theme_limit' && idea.theme) return t('support.refused.themeLimit', { theme: idea.theme.name });
  }
  return errorText(t, err);
}

/**
 * SupportBox shows an idea's supports and lets a signed-in person give or
 * withdraw theirs, saying how many they have left; a refused support says why.
 */
export function SupportBox({ idea, slug, open }: { idea: Idea; slug: string; open: boolean }) {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const mine = useMySupports(slug, account?.id);
  const errorId = useId();
  const [notice, setNotice] = useState('');
  const support = useSupport(idea.id, slug, (state) => setNotice(state.supported ? t('support.given') : t('support.taken')));
  const { isPending: pending, error } = support;
  const supported = idea.supported === true;
  const supportable = ideaIsOpen(idea); // (a support already given can still be withdrawn)
  const remaining = mine.data?.remaining;

  function toggle() {
    if (pending) return; // (not disabled: a disabled button would drop the focus)
    setNotice('');
    support.mutate(supported);
  }

  let action;
  if (!open) {
    action = <p className="closed-note">{t('support.closed')}</p>;
  } else if (!account) {
    action = supportable && (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('support.signIn')}
        </Link>
      </p>
    );
  } else if (!supportable && !supported) {
    action = <p className="closed-note">{t('support.notSupportable')}</p>;
  } else {
    action = (
      <button
        type="button"
        className={supported ? 'secondary support-button' : 'support-button'}
        aria-busy={pending}
        aria-describedby={error != null ? errorId : undefined}
        onClick={toggle}
      >
        {supported ? t('support.withdraw') : t('support.give')}
      </button>
    );
  }

  return (
    <section className="support-box" aria-labelledby="support-heading">
      <h2 id="support-heading">{t('support.title')}</h2>
      <p className="support-count">{t('support.count', { count: idea.supports })}</p>
      {supported && <p className="support-mine">{t('support.youSupport')}</p>}
      {action}
      {account && (
        <p role="status" className="supports-left">
          {notice}
          {notice && remaining != null && ' '}
          {open && remaining != null && t('support.left', { count: remaining })}
        </p>
      )}
      {error != null && (
        <p role="alert" id={errorId} className="error support-refused">
          {refusalText(t, error, mine.data, idea)}
        </p>
      )}
    </section>
  );
}
