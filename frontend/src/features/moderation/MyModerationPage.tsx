import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { QueryState, useDocumentTitle } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { placeOf, reasonName, sentence } from './format';
import { useAppeal } from './mutations';
import { useMyModeration, type MyModerationItem } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * statusText says, in words, where a contribution stands: awaiting review,
 * published, or hidden with the house rule it broke and the moderator's
 * explanation.
 */
export function statusText(t: T, item: MyModerationItem): string {
  if (item.status === 'pending') return t('myModeration.pending');
  if (item.status === 'published') return t('myModeration.published');
  const why = item.reason_description || (item.reason ? reasonName(t, item.reason) : '');
  return [why ? t('myModeration.hiddenBecause', { reason: sentence(why) }) : t('myModeration.hidden'), item.explanation ? sentence(item.explanation) : ''].filter(Boolean).join(' ');
}

/** MyModerationPage lists the signed-in person's contributions that moderation held or decided: /account/moderation. */
export function MyModerationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('myModeration.title'));
  const account = useAccount();
  const mine = useMyModeration(account?.id);
  return (
    <div className="my-moderation">
      <p className="breadcrumb">
        <Link to="/account">{t('account.page.title')}</Link>
      </p>
      <h1>{t('myModeration.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: '/account/moderation' }}>
            {t('myModeration.signIn')}
          </Link>
        </p>
      ) : (
        <>
          <p className="lead">{t('myModeration.intro')}</p>
          <QueryState query={mine} empty={mine.data?.length === 0 && t('myModeration.empty')} />
          {mine.isSuccess && mine.data.length > 0 && (
            <ul className="my-moderation-list">
              {mine.data.map((item) => (
                <MyItem key={item.id} item={item} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function MyItem({ item }: { item: MyModerationItem }) {
  const { t, i18n } = useTranslation();
  const [appealing, setAppealing] = useState(false);
  const [sent, setSent] = useState(false);
  const appealButton = useRef<HTMLButtonElement>(null);
  const sentNote = useRef<HTMLParagraphElement>(null);
  const place = placeOf(item.target, item.process_slug);
  const canAppeal = item.appealable_until != null && !item.appealed;
  useEffect(() => {
    if (sent) sentNote.current?.focus();
  }, [sent]);
  const kind = t(`moderation.kind.${item.target.type}`);
  return (
    <li className="my-moderation-item">
      <article aria-label={t('myModeration.itemLabel', { kind, excerpt: item.excerpt })}>
        <p className="my-kind">{kind}</p>
        <blockquote>
          <p>{place ? <Link to={place}>{item.excerpt}</Link> : item.excerpt}</p>
        </blockquote>
        <p className={`my-status my-status-${item.status}`}>
          <strong>{statusText(t, item)}</strong>
          {item.decided_at && (
            <>
              {' '}
              <span className="my-date">{t('myModeration.decidedAt', { date: formatDateTime(item.decided_at, i18n.language) })}</span>
            </>
          )}
        </p>
        {(sent || (item.appealed && item.state === 'appealed')) && (
          <p role="status" className="notice" tabIndex={-1} ref={sentNote}>
            {t('myModeration.appealSent')}
          </p>
        )}
        {!sent && canAppeal && (
          <>
            <p>{t('myModeration.appealUntil', { date: formatDateTime(item.appealable_until ?? '', i18n.language) })}</p>
            {!appealing ? (
              <button type="button" className="secondary" ref={appealButton} onClick={() => setAppealing(true)}>
                {t('myModeration.appeal')}
              </button>
            ) : (
              <AppealForm
                item={item}
                onSent={() => setSent(true)}
                onCancel={() => {
                  setAppealing(false);
                  setTimeout(() => appealButton.current?.focus(), 0);
                }}
              />
            )}
          </>
        )}
      </article>
    </li>
  );
}

/** AppealForm asks, once, for a different moderator to review a rejection; the note is required. */
export function AppealForm({ item, onSent, onCancel }: { item: MyModerationItem; onSent: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  const send = useAppeal();
  return (
    <form className="appeal-form" onSubmit={handleSubmit(() => send.mutate({ id: item.id, note }, { onSuccess: onSent }))} noValidate aria-label={t('myModeration.appealTitle')}>
      <ErrorSummary error={send.error} />
      <div ref={box}>
        <TextAreaField name="note" label={t('myModeration.appealNote')} hint={t('myModeration.appealHint')} value={note} maxLength={2000} rows={3} onChange={setNote} error={fieldError(send.error, 'note')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={send.isPending}>{t('myModeration.sendAppeal')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('moderation.cancel')}
        </button>
      </div>
    </form>
  );
}
