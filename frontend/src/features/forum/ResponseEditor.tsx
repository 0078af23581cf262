import { useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField } from '../../components/form';
import { ErrorMessage, Loading } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useAccount } from '../../lib/useAccount';
import { dispositionName, missingText } from './format';
import { useDiscardResponse, usePutResponse, useSaveResponse } from './mutations';
import { dispositions, useResponse, type Disposition, type Forum, type ForumResponse } from './queries';
import { ResponseCovers } from './ResponseCovers';
import { fieldsOf, initialFields, sameFields, type EditorCover, type Fields } from './responseFields';
import { publishedText, SigningPanel } from './SigningPanel';

export type { EditorCover } from './responseFields';

/**
 * ResponseEditor drafts a response, or edits a draft on the revision it read:
 * disposition, reasoning in Markdown, what it led to and what it covers. Once
 * saved, the draft is signed (or dissented from) below the form. A draft
 * changed meanwhile by another member is reloaded, and the editor says so.
 * Given a published response to correct, it drafts a correction: the
 * response's text to amend, and a required reason; a draft that corrects
 * another keeps its reason editable.
 */
export function ResponseEditor(props: {
  slug: string;
  forum: Forum;
  draftId?: number;
  covers?: EditorCover[];
  /** A published response (not yet superseded) that the new draft corrects. */
  corrects?: ForumResponse;
  headingRef: RefObject<HTMLHeadingElement | null>;
  announce: (text: string) => void;
  onCreated: (id: number) => void;
  onClose: () => void;
  /** A signature in the editor published the draft. */
  onPublished?: (r: ForumResponse) => void;
}) {
  const { slug, forum, announce, headingRef, onClose } = props;
  const { t } = useTranslation();
  const account = useAccount();
  const [id, setId] = useState<number | null>(props.draftId ?? null);
  const draft = useResponse(id, account?.id);
  const [fields, setFields] = useState<Fields>(() => initialFields(props.corrects, props.covers));
  // The draft as last loaded into the form: what "unsaved changes" are measured against.
  const [base, setBase] = useState<{ revision: number; fields: Fields } | null>(null);
  const [reloading, setReloading] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const discardButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const d = draft.data;
  const dirty = id == null || (base != null && !sameFields(fields, base.fields));
  const canWrite = forum.viewer.member;
  // What the draft corrects is fixed when it is made: the response given, then the draft's own.
  const supersedes = id == null ? (props.corrects?.id ?? null) : (d?.supersedes ?? null);
  const put = usePutResponse(slug);

  // The form takes the draft's text when it loads, and again after a reload
  // (a stale save) or a change elsewhere while nothing here is unsaved.
  const [seen, setSeen] = useState<ForumResponse | undefined>(undefined);
  if (d !== seen) {
    setSeen(d);
    if (d && d.state === 'draft' && (base === null || reloading || (d.revision !== base.revision && !dirty))) {
      setReloading(false);
      const next = fieldsOf(d);
      setFields(next);
      setBase({ revision: d.revision, fields: next });
    }
  }

  async function reload() {
    setReloading(true);
    await draft.refetch();
  }

  const save = useSaveResponse(slug, {
    saved: (r) => {
      setBase({ revision: r.revision, fields: fieldsOf(r) });
      setFields(fieldsOf(r));
      if (id == null) {
        setId(r.id);
        props.onCreated(r.id);
        const created = r.supersedes != null ? t('forum.editor.correctionCreated', { id: r.id }) : t('forum.editor.created');
        announce([created, ...missingText(t, r)].join(' '));
      } else {
        announce([t('forum.editor.saved'), ...missingText(t, r)].join(' '));
      }
    },
    stale: async () => {
      await reload();
      announce(t('forum.editor.reloaded'));
    },
  });

  let heading = t('forum.editor.newTitle');
  if (id != null) heading = t('forum.editor.draftTitle', { id });
  else if (props.corrects) heading = t('forum.editor.correctionTitle', { id: props.corrects.id });
  if (id != null && draft.isPending) {
    return (
      <EditorSection headingId={headingId} headingRef={headingRef} heading={heading}>
        <Loading />
      </EditorSection>
    );
  }
  if (id != null && draft.isError) {
    return (
      <EditorSection headingId={headingId} headingRef={headingRef} heading={heading}>
        <ErrorMessage error={draft.error} />
        <CloseButton onClose={onClose} />
      </EditorSection>
    );
  }
  if (d && d.state === 'published') {
    return (
      <EditorSection headingId={headingId} headingRef={headingRef} heading={t('forum.editor.publishedTitle')}>
        <p className="notice">{publishedText(t, d)}</p>
        <p>
          <Link to={`/responses/${d.id}`}>{t('forum.editor.readPublished')}</Link>
        </p>
        <CloseButton onClose={onClose} />
      </EditorSection>
    );
  }

  const error = save.error;
  const given = d ? d.signatures.length : 0;
  return (
    <EditorSection headingId={headingId} headingRef={headingRef} heading={heading}>
      {d && (
        <p className="muted">
          {t('forum.editor.revision', { revision: d.revision })} · <Link to={`/responses/${d.id}`}>{t('forum.editor.draftPage')}</Link>
        </p>
      )}
      {supersedes != null && (
        <p className="notice-box">
          <Link to={`/responses/${supersedes}`}>{t('forum.editor.corrects', { id: supersedes })}</Link>
          {id == null && ` ${t('forum.editor.correctionIntro')}`}
        </p>
      )}
      <form className="editor-form" onSubmit={handleSubmit(() => save.mutate({ fields, supersedes, id, draft: d }))} noValidate>
        <ErrorSummary error={error} />
        {supersedes != null && (
          <TextAreaField
            name="correction_reason"
            label={t('forum.editor.correctionReason')}
            hint={t('forum.editor.correctionReasonHint')}
            value={fields.reason}
            maxLength={2000}
            rows={3}
            onChange={(v) => setFields((f) => ({ ...f, reason: v }))}
            error={fieldError(error, 'correction_reason')}
          />
        )}
        <SelectField
          name="disposition"
          label={t('forum.editor.disposition')}
          value={fields.disposition}
          options={[{ value: '', label: t('forum.editor.chooseDisposition') }, ...dispositions.map((v) => ({ value: v, label: dispositionName(t, v) }))]}
          onChange={(v) => setFields((f) => ({ ...f, disposition: v as Disposition | '' }))}
          error={fieldError(error, 'disposition')}
        />
        <TextAreaField
          name="reasoning"
          label={t('forum.editor.reasoning')}
          hint={t('forum.editor.reasoningHint')}
          value={fields.reasoning}
          maxLength={20000}
          rows={8}
          onChange={(v) => setFields((f) => ({ ...f, reasoning: v }))}
          error={fieldError(error, 'reasoning')}
        />
        <Field
          name="led_to"
          label={t('forum.editor.ledTo')}
          hint={t('forum.editor.ledToHint')}
          required={false}
          maxLength={500}
          value={fields.ledTo}
          onChange={(v) => setFields((f) => ({ ...f, ledTo: v }))}
          error={fieldError(error, 'led_to')}
        />
        <ResponseCovers
          slug={slug}
          headingId={`${headingId}-covers`}
          covers={fields.covers}
          required={fieldError(error, 'covers') != null}
          onChange={(update) => setFields((f) => ({ ...f, covers: update(f.covers) }))}
        />

        {given > 0 && <p className="notice-box">{t('forum.editor.clearsSignatures', { count: given })}</p>}
        <div className="form-actions">
          {canWrite && <SubmitButton pending={save.isPending}>{t('forum.editor.save')}</SubmitButton>}
          <CloseButton onClose={onClose} />
          {canWrite && id != null && (
            <button type="button" className="secondary" ref={discardButton} aria-expanded={discarding} onClick={() => setDiscarding(true)}>
              {t('forum.editor.discard')}
            </button>
          )}
        </div>
        {dirty && id != null && <p className="hint">{t('forum.editor.unsaved')}</p>}
      </form>
      {discarding && id != null && (
        <ConfirmDiscard
          slug={slug}
          id={id}
          onDiscarded={() => {
            announce(t('forum.editor.discarded'));
            onClose();
          }}
          onCancel={() => {
            setDiscarding(false);
            setTimeout(() => discardButton.current?.focus(), 0);
          }}
        />
      )}
      {d && (
        <SigningPanel
          response={d}
          viewer={forum.viewer}
          dirty={dirty}
          headingLevel={3}
          events={{
            onUpdated: (next) => {
              put(next);
              if (next.state === 'published') {
                props.onPublished?.(next);
                setTimeout(() => headingRef.current?.focus(), 0);
              }
            },
            onStale: reload,
            announce,
          }}
        />
      )}
    </EditorSection>
  );
}

/** EditorSection is the editor's frame: a section named by its heading, which takes the focus when the editor opens. */
function EditorSection({ headingId, headingRef, heading, children }: { headingId: string; headingRef: RefObject<HTMLHeadingElement | null>; heading: string; children: ReactNode }) {
  return (
    <section className="response-editor" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} ref={headingRef}>
        {heading}
      </h2>
      {children}
    </section>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="secondary" onClick={onClose}>
      {t('forum.editor.close')}
    </button>
  );
}

/** ConfirmDiscard asks before throwing a draft away. */
function ConfirmDiscard({ slug, id, onDiscarded, onCancel }: { slug: string; id: number; onDiscarded: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const discard = useDiscardResponse(slug);
  return (
    <ConfirmStep
      question={t('forum.editor.confirmDiscard')}
      confirmLabel={t('forum.editor.confirmDiscardYes')}
      cancelLabel={t('forum.cancel')}
      pending={discard.isPending}
      error={discard.error}
      onConfirm={() => discard.mutate(id, { onSuccess: onDiscarded })}
      onCancel={onCancel}
    />
  );
}
