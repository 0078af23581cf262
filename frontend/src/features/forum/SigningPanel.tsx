import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, SubmitButton, TextAreaField } from '../../components/form';
import { errorText } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { missingText, ruleText } from './format';
import { isStale, useDissent, useRecuse, useSignResponse, useWithdraw } from './mutations';
import type { Forum, ForumResponse } from './queries';
import { MissingSeats, SignatureList } from './ResponseParts';

/** SigningEvents are what the signing panel tells the page it sits on. */
export interface SigningEvents {
  /** The draft as the server now has it (signed, dissented, or published). */
  onUpdated: (r: ForumResponse) => void;
  /** The draft changed since it was read: fetch it again. */
  onStale: () => Promise<unknown>;
  /** Says something in the page's polite live region. */
  announce: (text: string) => void;
}

/** publishedText is what is announced when a signature publishes a response. */
export function publishedText(t: (k: string, o?: Record<string, unknown>) => string, r: ForumResponse): string {
  return r.ledger ? t('forum.sign.publishedSeq', { seq: r.ledger.seq }) : t('forum.sign.published');
}

/** afterSignText is what is announced after a signature: published, or what is still missing. */
export function afterSignText(t: (k: string, o?: Record<string, unknown>) => string, r: ForumResponse): string {
  if (r.state === 'published') return publishedText(t, r);
  return [t('forum.sign.signed'), ...missingText(t, r)].join(' ');
}

/**
 * SigningPanel shows a draft's signatures, dissents and the seats it still
 * needs; a forum member signs the revision they read, or attaches a
 * dissenting note instead. A draft changed meanwhile is reloaded (409
 * forum.stale) so that nobody signs text they did not read.
 */
export function SigningPanel({ response: r, viewer, dirty = false, headingLevel = 2, events }: {
  response: ForumResponse;
  viewer: Forum['viewer'] | undefined;
  /** The editor around the panel holds unsaved changes: signing would sign the saved text. */
  dirty?: boolean;
  headingLevel?: 2 | 3;
  events: SigningEvents;
}) {
  const { t } = useTranslation();
  // A refused signature, or a draft that changed meanwhile (however it was found).
  const [error, setError] = useState<unknown>(null);
  const [dissenting, setDissenting] = useState(false);
  const [recusing, setRecusing] = useState(false);
  const dissentButton = useRef<HTMLButtonElement>(null);
  const recuseButton = useRef<HTMLButtonElement>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const mine = viewer?.member_ref ? r.signatures.find((s) => s.member_ref === viewer.member_ref) : undefined;
  const canAct = viewer?.member === true && r.state === 'draft' && !mine;

  async function stale(err: unknown) {
    setError(err);
    events.announce(errorText(t, err));
    await events.onStale();
  }

  const sign = useSignResponse((err) => (isStale(err, ['forum.stale', 'forum.already_signed', 'forum.published']) ? stale(err) : setError(err)));
  function signNow() {
    if (sign.isPending) return;
    setError(null);
    sign.mutate(
      { id: r.id, revision: r.revision, dirty },
      {
        onSuccess: (next) => {
          events.onUpdated(next);
          events.announce(afterSignText(t, next));
        },
      },
    );
  }

  function closeDissent() {
    setDissenting(false);
    setTimeout(() => dissentButton.current?.focus(), 0);
  }

  function closeRecuse() {
    setRecusing(false);
    setTimeout(() => recuseButton.current?.focus(), 0);
  }

  const withdraw = useWithdraw((err) => (isStale(err, ['forum.stale', 'forum.not_signed', 'forum.published']) ? stale(err) : setError(err)));
  function withdrawNow() {
    if (withdraw.isPending) return;
    setError(null);
    withdraw.mutate(r.id, {
      onSuccess: (next) => {
        events.onUpdated(next);
        events.announce(next.state === 'published' ? publishedText(t, next) : [t('forum.sign.withdrawn'), ...missingText(t, next)].join(' '));
      },
    });
  }

  return (
    <section className="signing-panel" aria-labelledby={`signing-${r.id}`}>
      <Heading id={`signing-${r.id}`}>{t('forum.sign.title')}</Heading>
      <p>{ruleText(t, { ...r.rule, name: r.signing_rule })}</p>
      <MissingSeats response={r} />
      <SignatureList response={r} level={headingLevel === 2 ? 3 : 4} />
      {mine && r.state === 'draft' && viewer?.member === true && (
        <div className="form-actions">
          <p className="notice">{mine.kind === 'sign' ? t('forum.sign.youSigned') : mine.kind === 'dissent' ? t('forum.sign.youDissented') : t('forum.sign.youRecused')}</p>
          <button type="button" className="secondary" onClick={withdrawNow} disabled={withdraw.isPending} aria-busy={withdraw.isPending}>
            {t(`forum.sign.withdraw.${mine.kind}`)}
          </button>
        </div>
      )}
      {error != null && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {canAct && (
        <div className="form-actions">
          <button type="button" onClick={signNow} disabled={sign.isPending} aria-busy={sign.isPending}>
            {t('forum.sign.sign')}
          </button>
          <button type="button" className="secondary" ref={dissentButton} aria-expanded={dissenting} onClick={() => setDissenting((d) => !d)}>
            {t('forum.sign.dissentInstead')}
          </button>
          <button type="button" className="secondary" ref={recuseButton} aria-expanded={recusing} onClick={() => setRecusing((d) => !d)}>
            {t('forum.sign.recuse')}
          </button>
        </div>
      )}
      {canAct && recusing && (
        <RecuseForm
          response={r}
          onRecused={(next) => {
            events.onUpdated(next);
            events.announce(next.state === 'published' ? publishedText(t, next) : [t('forum.sign.recused'), ...missingText(t, next)].join(' '));
            closeRecuse();
          }}
          onStale={(err) => {
            setRecusing(false);
            return stale(err);
          }}
          onCancel={closeRecuse}
        />
      )}
      {canAct && dissenting && (
        <DissentForm
          response={r}
          onDissented={(next) => {
            events.onUpdated(next);
            events.announce(t('forum.sign.dissented'));
            closeDissent();
          }}
          onStale={(err) => {
            setDissenting(false);
            return stale(err);
          }}
          onCancel={closeDissent}
        />
      )}
    </section>
  );
}

/** DissentForm attaches a dissenting note (required) to the revision of the draft the member read. */
function DissentForm({ response: r, onDissented, onStale, onCancel }: {
  response: ForumResponse;
  onDissented: (next: ForumResponse) => void;
  /** The draft changed since it was read: the panel says so and reloads it. */
  onStale: (err: unknown) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const dissent = useDissent(onStale);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  // A stale draft is the panel's to say; this form is closed by then.
  const error = isStale(dissent.error, ['forum.stale']) ? null : dissent.error;
  return (
    <form className="dissent-form" onSubmit={handleSubmit(() => dissent.mutate({ id: r.id, revision: r.revision, note }, { onSuccess: onDissented }))} noValidate>
      <ErrorSummary error={error} />
      <div ref={box}>
        <TextAreaField name="note" label={t('forum.sign.note')} hint={t('forum.sign.noteHint')} value={note} onChange={setNote} maxLength={5000} rows={4} error={fieldError(error, 'note')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={dissent.isPending}>{t('forum.sign.attachDissent')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('forum.cancel')}
        </button>
      </div>
    </form>
  );
}

/** RecuseForm records that the member takes no part in the draft, with an optional reason shown beside it. */
function RecuseForm({ response: r, onRecused, onStale, onCancel }: {
  response: ForumResponse;
  onRecused: (next: ForumResponse) => void;
  onStale: (err: unknown) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const recuse = useRecuse(onStale);
  useEffect(() => box.current?.querySelector('textarea')?.focus(), []);
  const error = isStale(recuse.error, ['forum.stale', 'forum.already_signed', 'forum.published']) ? null : recuse.error;
  return (
    <form className="dissent-form" onSubmit={handleSubmit(() => recuse.mutate({ id: r.id, revision: r.revision, note }, { onSuccess: onRecused }))} noValidate>
      <ErrorSummary error={error} />
      <div ref={box}>
        <TextAreaField name="note" label={t('forum.sign.recuseReason')} hint={t('forum.sign.recuseHint')} value={note} onChange={setNote} maxLength={5000} rows={3} required={false} error={fieldError(error, 'note')} />
      </div>
      <div className="form-actions">
        <SubmitButton pending={recuse.isPending}>{t('forum.sign.recuseConfirm')}</SubmitButton>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('forum.cancel')}
        </button>
      </div>
    </form>
  );
}
