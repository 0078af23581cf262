import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AppError } from '../../api/client';
import { errorText } from '../../components/status';
import { dissentFromResponse, signResponse } from './actions';
import { missingText } from './format';
import type { Forum, ForumResponse } from './queries';
import { MissingSeats, SignatureList } from './ResponseParts';
import { ErrorSummary, SubmitButton, TextAreaField, useSubmit } from '../../components/form';

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
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [dissenting, setDissenting] = useState(false);
  const [note, setNote] = useState('');
  const dissentButton = useRef<HTMLButtonElement>(null);
  const noteBox = useRef<HTMLDivElement>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const mine = viewer?.member_ref ? r.signatures.find((s) => s.member_ref === viewer.member_ref) : undefined;
  const canAct = viewer?.member === true && r.state === 'draft' && !mine;

  useEffect(() => {
    if (dissenting) noteBox.current?.querySelector('textarea')?.focus();
  }, [dissenting]);

  async function stale(err: unknown) {
    setError(err);
    events.announce(errorText(t, err));
    await events.onStale();
  }

  async function sign() {
    if (signing) return;
    setError(null);
    if (dirty) {
      setError(new AppError('forum.unsaved', 0));
      return;
    }
    setSigning(true);
    try {
      const next = await signResponse(r.id, r.revision);
      events.onUpdated(next);
      events.announce(afterSignText(t, next));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'forum.stale' || err.code === 'forum.already_signed' || err.code === 'forum.published')) await stale(err);
      else setError(err);
    } finally {
      setSigning(false);
    }
  }

  const dissent = useSubmit(async () => {
    if (note.trim() === '') throw new AppError('forum.invalid', 422, [{ field: 'note', code: 'required', message: '' }]);
    try {
      const next = await dissentFromResponse(r.id, r.revision, note.trim());
      events.onUpdated(next);
      events.announce(t('forum.sign.dissented'));
      setDissenting(false);
      setNote('');
      setTimeout(() => dissentButton.current?.focus(), 0);
    } catch (err) {
      if (err instanceof AppError && err.code === 'forum.stale') {
        setDissenting(false);
        await stale(err);
        return;
      }
      throw err;
    }
  });

  return (
    <section className="signing-panel" aria-labelledby={`signing-${r.id}`}>
      <Heading id={`signing-${r.id}`}>{t('forum.sign.title')}</Heading>
      <p>{t(`forum.rule.${r.signing_rule}`)}</p>
      <MissingSeats response={r} />
      <SignatureList response={r} level={headingLevel === 2 ? 3 : 4} />
      {mine && r.state === 'draft' && <p className="notice">{mine.kind === 'sign' ? t('forum.sign.youSigned') : t('forum.sign.youDissented')}</p>}
      {error != null && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {canAct && (
        <div className="form-actions">
          <button type="button" onClick={() => void sign()} disabled={signing} aria-busy={signing}>
            {t('forum.sign.sign')}
          </button>
          <button type="button" className="secondary" ref={dissentButton} aria-expanded={dissenting} onClick={() => setDissenting((d) => !d)}>
            {t('forum.sign.dissentInstead')}
          </button>
        </div>
      )}
      {canAct && dissenting && (
        <form className="dissent-form" onSubmit={dissent.onSubmit} noValidate>
          <ErrorSummary error={dissent.error} summaryRef={dissent.summary} />
          <div ref={noteBox}>
            <TextAreaField name="note" label={t('forum.sign.note')} hint={t('forum.sign.noteHint')} value={note} onChange={setNote} maxLength={5000} rows={4} error={dissent.fieldError('note')} />
          </div>
          <div className="form-actions">
            <SubmitButton pending={dissent.pending}>{t('forum.sign.attachDissent')}</SubmitButton>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDissenting(false);
                setTimeout(() => dissentButton.current?.focus(), 0);
              }}
            >
              {t('forum.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
