import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppError, type FieldError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorMessage, Loading } from '../../components/status';
import { createResponse, discardResponse, editResponse } from './actions';
import { coverKey, dispositionName, missingText } from './format';
import { dispositions, forumKeys, refreshForum, useParagraphs, useResponse, type CoverInput, type Disposition, type Forum, type ForumResponse } from './queries';
import { publishedText, SigningPanel } from './SigningPanel';
import { ErrorSummary, Field, SelectField, SubmitButton, TextAreaField, useSubmit } from '../../components/form';
import { useAccount } from '../../lib/useAccount';
import { useProcessDocuments } from '../../lib/process';

/** EditorCover is something the response being edited covers, with what the list shows of it. */
export interface EditorCover {
  kind: CoverInput['kind'];
  id?: number;
  document_id?: number;
  paragraph_key?: string;
  label: string;
  /** The contributions it stands for (1 for a comment or an idea). */
  count: number;
}

interface Fields {
  disposition: Disposition | '';
  reasoning: string;
  ledTo: string;
  covers: EditorCover[];
  /** Why a correction corrects the response it supersedes (empty when the draft corrects nothing). */
  reason: string;
}

/** toCoverInput is what the server is sent of a cover: an id, or a draft's paragraph. */
export function toCoverInput(c: EditorCover): CoverInput {
  return c.kind === 'paragraph' ? { kind: 'paragraph', document_id: c.document_id, paragraph_key: c.paragraph_key } : { kind: c.kind, id: c.id };
}

function fieldsOf(r: ForumResponse): Fields {
  return {
    disposition: r.disposition,
    reasoning: r.reasoning,
    ledTo: r.led_to,
    reason: r.correction_reason ?? '',
    covers: r.covers.map((c) => ({
      kind: c.kind,
      id: c.id ?? undefined,
      document_id: c.document_id ?? undefined,
      paragraph_key: c.paragraph_key ?? undefined,
      label: c.label,
      count: c.count,
    })),
  };
}

const sameFields = (a: Fields, b: Fields) =>
  a.disposition === b.disposition &&
  a.reasoning === b.reasoning &&
  a.ledTo === b.ledTo &&
  a.reason === b.reason &&
  a.covers.map(coverKey).join() === b.covers.map(coverKey).join();

/** initialFields is what a new editor starts from: a published response to correct, or the covers chosen. */
function initialFields(corrects: ForumResponse | undefined, covers: EditorCover[] | undefined): Fields {
  if (corrects) return { ...fieldsOf(corrects), reason: '' };
  return { disposition: '', reasoning: '', ledTo: '', covers: covers ?? [], reason: '' };
}

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
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  announce: (text: string) => void;
  onCreated: (id: number) => void;
  onClose: () => void;
  /** A signature in the editor published the draft. */
  onPublished?: (r: ForumResponse) => void;
}) {
  const { slug, forum, announce } = props;
  const { t } = useTranslation();
  const client = useQueryClient();
  const account = useAccount();
  const [id, setId] = useState<number | null>(props.draftId ?? null);
  const draft = useResponse(id, account?.id);
  const [fields, setFields] = useState<Fields>(() => initialFields(props.corrects, props.covers));
  // The draft as last loaded into the form: what "unsaved changes" are measured against.
  const [base, setBase] = useState<{ revision: number; fields: Fields } | null>(null);
  const reload = useRef(false);
  const [discarding, setDiscarding] = useState(false);
  const discardButton = useRef<HTMLButtonElement>(null);
  const coversHeading = useRef<HTMLHeadingElement>(null);
  const coverList = useRef<HTMLUListElement>(null);
  const [focusCover, setFocusCover] = useState<number | null>(null);
  const headingId = useId();
  const d = draft.data;
  const dirty = id == null || (base != null && !sameFields(fields, base.fields));
  const canWrite = forum.viewer.member;
  // What the draft corrects is fixed when it is made: the response given, then the draft's own.
  const supersedes = id == null ? (props.corrects?.id ?? null) : (d?.supersedes ?? null);

  // The form takes the draft's text when it loads, and again after a reload
  // (a stale save) or a change elsewhere while nothing here is unsaved.
  useEffect(() => {
    if (!d || d.state !== 'draft') return;
    if (base === null || reload.current || (d.revision !== base.revision && !dirty)) {
      reload.current = false;
      const next = fieldsOf(d);
      setFields(next);
      setBase({ revision: d.revision, fields: next });
    }
  }, [d]);

  useEffect(() => {
    if (focusCover === null) return;
    setFocusCover(null);
    const buttons = coverList.current?.querySelectorAll<HTMLButtonElement>('button');
    (buttons && buttons.length > 0 ? buttons[Math.min(focusCover, buttons.length - 1)] : coversHeading.current)?.focus();
  }, [focusCover]);

  function put(next: ForumResponse) {
    client.setQueryData([...forumKeys.response(next.id), account?.id], next);
    void refreshForum(client, slug);
  }

  const form = useSubmit(async () => {
    const problems: FieldError[] = [];
    if (fields.disposition === '') problems.push({ field: 'disposition', code: 'choose', message: '' });
    if (fields.reasoning.trim() === '') problems.push({ field: 'reasoning', code: 'required', message: '' });
    if (fields.covers.length === 0) problems.push({ field: 'covers', code: 'required', message: '' });
    if (supersedes != null && fields.reason.trim() === '') problems.push({ field: 'correction_reason', code: 'required', message: '' });
    if (problems.length > 0) throw new AppError('forum.invalid', 422, problems);
    const body = {
      disposition: fields.disposition as Disposition,
      reasoning: fields.reasoning,
      led_to: fields.ledTo.trim(),
      covers: fields.covers.map(toCoverInput),
    };
    if (id == null) {
      const created = await createResponse(slug, supersedes != null ? { ...body, supersedes, correction_reason: fields.reason.trim() } : body);
      put(created);
      setBase({ revision: created.revision, fields: fieldsOf(created) });
      setFields(fieldsOf(created));
      setId(created.id);
      props.onCreated(created.id);
      const saved = created.supersedes != null ? t('forum.editor.correctionCreated', { id: created.id }) : t('forum.editor.created');
      announce([saved, ...missingText(t, created)].join(' '));
      return;
    }
    if (!d) return;
    try {
      const next = await editResponse(id, { revision: d.revision, ...body, correction_reason: d.supersedes != null ? fields.reason.trim() : d.correction_reason });
      put(next);
      setBase({ revision: next.revision, fields: fieldsOf(next) });
      setFields(fieldsOf(next));
      announce([t('forum.editor.saved'), ...missingText(t, next)].join(' '));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'forum.stale' || err.code === 'forum.published')) {
        reload.current = true;
        await draft.refetch();
        announce(t('forum.editor.reloaded'));
      }
      throw err;
    }
  });

  function removeCover(i: number) {
    setFields((f) => ({ ...f, covers: f.covers.filter((_, j) => j !== i) }));
    setFocusCover(i);
  }
  function addCover(c: EditorCover) {
    setFields((f) => (f.covers.some((x) => coverKey(x) === coverKey(c)) ? f : { ...f, covers: [...f.covers, c] }));
  }

  async function discard() {
    if (id == null) return;
    await discardResponse(id);
    client.removeQueries({ queryKey: forumKeys.response(id) });
    void refreshForum(client, slug);
    announce(t('forum.editor.discarded'));
    props.onClose();
  }

  let heading = t('forum.editor.newTitle');
  if (id != null) heading = t('forum.editor.draftTitle', { id });
  else if (props.corrects) heading = t('forum.editor.correctionTitle', { id: props.corrects.id });
  if (id != null && draft.isPending) {
    return (
      <section className="response-editor" aria-labelledby={headingId}>
        <h2 id={headingId} tabIndex={-1} ref={props.headingRef}>
          {heading}
        </h2>
        <Loading />
      </section>
    );
  }
  if (id != null && draft.isError) {
    return (
      <section className="response-editor" aria-labelledby={headingId}>
        <h2 id={headingId} tabIndex={-1} ref={props.headingRef}>
          {heading}
        </h2>
        <ErrorMessage error={draft.error} />
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('forum.editor.close')}
        </button>
      </section>
    );
  }

  if (d && d.state === 'published') {
    return (
      <section className="response-editor" aria-labelledby={headingId}>
        <h2 id={headingId} tabIndex={-1} ref={props.headingRef}>
          {t('forum.editor.publishedTitle')}
        </h2>
        <p className="notice">{publishedText(t, d)}</p>
        <p>
          <Link to={`/responses/${d.id}`}>{t('forum.editor.readPublished')}</Link>
        </p>
        <button type="button" className="secondary" onClick={props.onClose}>
          {t('forum.editor.close')}
        </button>
      </section>
    );
  }

  const total = fields.covers.reduce((n, c) => n + c.count, 0);
  const given = d ? d.signatures.length : 0;
  return (
    <section className="response-editor" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} ref={props.headingRef}>
        {heading}
      </h2>
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
      <form className="editor-form" onSubmit={form.onSubmit} noValidate>
        <ErrorSummary error={form.error} summaryRef={form.summary} />
        {supersedes != null && (
          <TextAreaField
            name="correction_reason"
            label={t('forum.editor.correctionReason')}
            hint={t('forum.editor.correctionReasonHint')}
            value={fields.reason}
            maxLength={2000}
            rows={3}
            onChange={(v) => setFields((f) => ({ ...f, reason: v }))}
            error={form.fieldError('correction_reason')}
          />
        )}
        <SelectField
          name="disposition"
          label={t('forum.editor.disposition')}
          value={fields.disposition}
          options={[{ value: '', label: t('forum.editor.chooseDisposition') }, ...dispositions.map((v) => ({ value: v, label: dispositionName(t, v) }))]}
          onChange={(v) => setFields((f) => ({ ...f, disposition: v as Disposition | '' }))}
          error={form.fieldError('disposition')}
        />
        <TextAreaField
          name="reasoning"
          label={t('forum.editor.reasoning')}
          hint={t('forum.editor.reasoningHint')}
          value={fields.reasoning}
          maxLength={20000}
          rows={8}
          onChange={(v) => setFields((f) => ({ ...f, reasoning: v }))}
          error={form.fieldError('reasoning')}
        />
        <Field
          name="led_to"
          label={t('forum.editor.ledTo')}
          hint={t('forum.editor.ledToHint')}
          required={false}
          maxLength={500}
          value={fields.ledTo}
          onChange={(v) => setFields((f) => ({ ...f, ledTo: v }))}
          error={form.fieldError('led_to')}
        />

        <div className="editor-covers" role="group" aria-labelledby={`${headingId}-covers`}>
          <h3 id={`${headingId}-covers`} tabIndex={-1} ref={coversHeading}>
            {t('forum.editor.covers')}
          </h3>
          {form.fieldError('covers') && <p className="field-error">{t('forum.editor.coversRequired')}</p>}
          {fields.covers.length === 0 ? (
            <p>{t('forum.editor.noCovers')}</p>
          ) : (
            <ul className="cover-list" ref={coverList}>
              {fields.covers.map((c, i) => (
                <li key={coverKey(c)}>
                  <span className="cover-kind">{t(`forum.coverKind.${c.kind}`)}:</span> {c.label}
                  {(c.kind === 'cluster' || c.kind === 'paragraph') && <span className="muted"> {t('forum.response.contributionsParen', { count: c.count })}</span>}{' '}
                  <button type="button" className="link-button" onClick={() => removeCover(i)} aria-label={t('forum.editor.removeCover', { label: c.label })}>
                    {t('forum.editor.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p aria-live="polite" className="muted">
            {t('forum.editor.coverTotal', { count: fields.covers.length, contributions: total })}
          </p>
          <AddParagraph slug={slug} onAdd={addCover} />
        </div>

        {given > 0 && <p className="notice-box">{t('forum.editor.clearsSignatures', { count: given })}</p>}
        <div className="form-actions">
          {canWrite && <SubmitButton pending={form.pending}>{t('forum.editor.save')}</SubmitButton>}
          <button type="button" className="secondary" onClick={props.onClose}>
            {t('forum.editor.close')}
          </button>
          {canWrite && id != null && (
            <button type="button" className="secondary" ref={discardButton} aria-expanded={discarding} onClick={() => setDiscarding(true)}>
              {t('forum.editor.discard')}
            </button>
          )}
        </div>
        {dirty && id != null && <p className="hint">{t('forum.editor.unsaved')}</p>}
      </form>
      {discarding && (
        <ConfirmStep
          question={t('forum.editor.confirmDiscard')}
          confirmLabel={t('forum.editor.confirmDiscardYes')}
          cancelLabel={t('forum.cancel')}
          onConfirm={discard}
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
                setTimeout(() => props.headingRef.current?.focus(), 0);
              }
            },
            onStale: async () => {
              reload.current = true;
              await draft.refetch();
            },
            announce,
          }}
        />
      )}
    </section>
  );
}

/** AddParagraph adds a whole paragraph of a draft to what the response covers. */
function AddParagraph({ slug, onAdd }: { slug: string; onAdd: (c: EditorCover) => void }) {
  const { t } = useTranslation();
  const docs = useProcessDocuments(slug);
  const [doc, setDoc] = useState('');
  const [key, setKey] = useState('');
  const paragraphs = useParagraphs(doc ? Number(doc) : undefined);
  const docId = useId();
  const keyId = useId();
  const published = (docs.data ?? []).filter((x) => x.latest_number != null);
  if (published.length === 0) return null;
  const block = paragraphs.data?.find((b) => b.key === key);
  return (
    <details className="add-paragraph">
      <summary>{t('forum.editor.addParagraph')}</summary>
      <div className="idea-filters">
        <div className="filter">
          <label htmlFor={docId}>{t('forum.work.document')}</label>
          <select
            id={docId}
            value={doc}
            onChange={(e) => {
              setDoc(e.target.value);
              setKey('');
            }}
          >
            <option value="">{t('forum.work.chooseDocument')}</option>
            {published.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={keyId}>{t('forum.work.paragraph')}</label>
          <select id={keyId} value={key} disabled={!doc} onChange={(e) => setKey(e.target.value)} aria-busy={paragraphs.isFetching}>
            <option value="">{t('forum.work.chooseParagraph')}</option>
            {(paragraphs.data ?? []).map((b) => (
              <option key={b.key} value={b.key}>
                {paragraphLabel(b.text)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            if (!doc || !key) return;
            onAdd({ kind: 'paragraph', document_id: Number(doc), paragraph_key: key, label: block ? paragraphLabel(block.text) : key, count: block?.counts?.comments ?? 0 });
          }}
        >
          {t('forum.editor.addThisParagraph')}
        </button>
      </div>
    </details>
  );
}

/** paragraphLabel shortens a paragraph's text for a choice list. */
export function paragraphLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
}
