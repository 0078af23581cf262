import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { ErrorSummary, Field, SubmitButton, TextAreaField } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useProcess, useProcessUpdates, type ProcessUpdatePost } from '../../lib/process';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { useCreateUpdate, useDeleteUpdate, useEditUpdate, type UpdateDraft } from './mutations';
import { UpdateArticle } from './UpdatesSection';

/**
 * UpdatesPage lists a process's updates, newest first: /processes/:slug/updates.
 * Its owners and administrators post, edit and delete them here.
 */
export function UpdatesPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const process = useProcess(slug);
  const updates = useProcessUpdates(slug);
  const list = useRef<HTMLOListElement>(null);
  const [said, announce] = useAnnouncer();
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(process.data ? t('manage.updates.pageTitle', { title: process.data.title }) : undefined, notFound);

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (process.isPending) return <Loading />;
  if (process.isError) return <ErrorMessage error={process.error} />;
  const manage = process.data.viewer?.manage === true;
  const items = updates.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="updates-page">
      <ProcessCrumb slug={slug} title={process.data.title} />
      <h1>{t('manage.updates.title')}</h1>
      <p aria-live="polite" className="visually-hidden">
        {said}
      </p>
      {manage && <NewUpdate slug={slug} onPosted={() => announce(t('manage.updates.posted'))} />}
      <section aria-labelledby="update-list-heading" aria-busy={updates.isPending || updates.isFetchingNextPage}>
        <h2 id="update-list-heading" className={manage ? undefined : 'visually-hidden'} tabIndex={-1}>
          {t('manage.updates.listLabel')}
        </h2>
        <QueryState query={updates} empty={items.length === 0 && t('manage.updates.empty')} />
        {items.length > 0 && (
          <ol className="update-list" ref={list}>
            {items.map((u) => (
              <li key={u.id}>{manage ? <ManagedUpdate slug={slug} update={u} onDone={announce} /> : <UpdateArticle update={u} headingLevel={3} lang={process.data.languages[0]} />}</li>
            ))}
          </ol>
        )}
        <LoadMore pages={updates} label={t('manage.updates.loadMore')} count={items.length} listRef={list} focusSelector="article h3" />
      </section>
    </div>
  );
}

/** NewUpdate is the form that posts an update. */
function NewUpdate({ slug, onPosted }: { slug: string; onPosted: () => void }) {
  const { t } = useTranslation();
  const create = useCreateUpdate(slug);
  const [formKey, setFormKey] = useState(0);
  return (
    <section aria-labelledby="new-update-heading">
      <h2 id="new-update-heading">{t('manage.updates.new')}</h2>
      <UpdateForm
        key={formKey}
        initial={{ title: '', body: '' }}
        pending={create.isPending}
        error={create.error}
        submitLabel={t('manage.updates.post')}
        onSubmit={(d) =>
          create.mutate(d, {
            onSuccess: () => {
              setFormKey((k) => k + 1); // an empty form for the next one
              onPosted();
            },
          })
        }
      />
    </section>
  );
}

/** ManagedUpdate is one update with its owner's edit and delete. */
function ManagedUpdate({ slug, update, onDone }: { slug: string; update: ProcessUpdatePost; onDone: (said: string) => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'read' | 'edit' | 'delete'>('read');
  const edit = useEditUpdate(slug, update);
  const del = useDeleteUpdate(slug, update.id);
  const box = useRef<HTMLDivElement>(null);
  const focusLater = useFocusAfterRender();
  const backToArticle = () => focusLater(() => box.current?.querySelector<HTMLElement>('h3'));

  if (mode === 'edit') {
    return (
      <div className="update-edit" ref={box}>
        <UpdateForm
          initial={{ title: update.title, body: update.body }}
          legend={t('manage.updates.editing', { title: update.title })}
          pending={edit.isPending}
          error={edit.error}
          submitLabel={t('manage.updates.save')}
          onCancel={() => {
            edit.reset();
            setMode('read');
            backToArticle();
          }}
          onSubmit={(d) =>
            edit.mutate(d, {
              onSuccess: () => {
                setMode('read');
                backToArticle();
                onDone(t('manage.updates.saved'));
              },
            })
          }
        />
      </div>
    );
  }
  return (
    <div ref={box}>
      <UpdateArticle update={update} headingLevel={3} />
      {mode === 'delete' ? (
        <ConfirmStep
          question={t('manage.updates.deleteQuestion', { title: update.title })}
          confirmLabel={t('manage.updates.delete')}
          cancelLabel={t('manage.updates.cancel')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() =>
            del.mutate(undefined, {
              onSuccess: () => {
                onDone(t('manage.updates.deleted', { title: update.title }));
                focusLater(() => document.getElementById('update-list-heading'));
              },
            })
          }
          onCancel={() => {
            setMode('read');
            focusLater(() => box.current?.querySelector<HTMLButtonElement>('button.danger'));
          }}
        />
      ) : (
        <div className="form-actions">
          <button type="button" className="secondary" onClick={() => setMode('edit')} aria-label={t('manage.updates.editLabel', { title: update.title })}>
            {t('manage.updates.edit')}
          </button>
          <button type="button" className="danger" onClick={() => setMode('delete')} aria-label={t('manage.updates.deleteLabel', { title: update.title })}>
            {t('manage.updates.delete')}
          </button>
        </div>
      )}
    </div>
  );
}

/** UpdateForm is an update's title and text, with the server's refusals shown in place. */
function UpdateForm({ initial, legend, pending, error, submitLabel, onSubmit, onCancel }: {
  initial: UpdateDraft;
  legend?: string;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (d: UpdateDraft) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(initial.title);
  const [body, setBody] = useState(initial.body);
  const fields = (
    <>
      <Field name="title" label={t('manage.updates.titleLabel')} value={title} onChange={setTitle} maxLength={200} error={fieldError(error, 'title')} />
      <TextAreaField name="body" label={t('manage.updates.body')} hint={t('manage.updates.bodyHint')} value={body} onChange={setBody} rows={6} error={fieldError(error, 'body')} />
    </>
  );
  return (
    <form className="update-form" onSubmit={handleSubmit(() => onSubmit({ title, body }))} noValidate>
      <ErrorSummary error={error} />
      {legend ? (
        <fieldset>
          <legend>{legend}</legend>
          {fields}
        </fieldset>
      ) : (
        fields
      )}
      <div className="form-actions">
        <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('manage.updates.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
