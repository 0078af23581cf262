import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '../../components/ConfirmStep';
import { Field, SubmitButton } from '../../components/form';
import { QueryState } from '../../components/status';
import { excerpt } from '../../lib/format';
import { handleSubmit } from '../../lib/forms';
import { useMergeIdea } from './mutations';
import { useMergeCandidates, type Idea } from './queries';
import { ideaAuthor } from './ideaAuthor';

/**
 * MergePanel is the idea page's action for the process's moderators, forum
 * members and owners: find the idea this one duplicates (ideas like it are
 * offered first), see the two side by side, and confirm the merge. onMerged
 * runs once it is done (the page then shows where the idea went).
 */
export function MergePanel({ idea, slug, onMerged, onCancel }: { idea: Idea; slug: string; onMerged: (into: Idea) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [target, setTarget] = useState<Idea | null>(null);
  const candidates = useMergeCandidates(idea, slug, query);
  const merge = useMergeIdea(idea.id, slug);
  const heading = useRef<HTMLHeadingElement>(null);
  const compare = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const searchId = useId();
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (target) compare.current?.focus();
  }, [target]);
  const items = candidates.data ?? [];

  return (
    <section className="merge-panel" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1} ref={heading}>
        {t('idea.merge.title')}
      </h2>
      <p>{t('idea.merge.intro')}</p>
      <form role="search" aria-labelledby={searchId} className="merge-search" onSubmit={handleSubmit(() => setQuery(text.trim()))} noValidate>
        <h3 id={searchId} className="visually-hidden">
          {t('idea.merge.search')}
        </h3>
        <Field name="q" type="search" label={t('idea.merge.search')} hint={t('idea.merge.searchHint')} required={false} autoComplete="off" maxLength={200} value={text} onChange={setText} />
        <div className="form-actions">
          <SubmitButton pending={candidates.isFetching}>{t('idea.merge.searchSubmit')}</SubmitButton>
        </div>
      </form>
      <div aria-live="polite" className="merge-candidates">
        <QueryState query={candidates} empty={candidates.isSuccess && items.length === 0 ? t('idea.merge.none') : undefined} emptyClassName="list-status" />
        {items.length > 0 && (
          <>
            <p className="list-status">{query === '' ? t('idea.merge.similar') : t('idea.merge.found', { count: items.length })}</p>
            <ul className="idea-list merge-list">
              {items.map((i) => (
                <li key={i.id} className="idea-card">
                  <p className="merge-candidate-title">{i.title}</p>
                  <p className="idea-counts">
                    {t('ideas.supports', { count: i.supports })} · {ideaAuthor(t, i)}
                  </p>
                  <button
                    type="button"
                    className="secondary"
                    aria-pressed={target?.id === i.id}
                    aria-label={t('idea.merge.chooseLabel', { title: i.title })}
                    onClick={() => setTarget(i)}
                  >
                    {t('idea.merge.choose')}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {target && (
        <>
          <h3 tabIndex={-1} ref={compare}>
            {t('idea.merge.compare')}
          </h3>
          <div className="merge-compare">
            <IdeaSide label={t('idea.merge.from')} idea={idea} />
            <IdeaSide label={t('idea.merge.into')} idea={target} />
          </div>
          <ConfirmStep
            key={target.id}
            question={t('idea.merge.confirm', { from: idea.title, into: target.title })}
            confirmLabel={t('idea.merge.yes')}
            cancelLabel={t('idea.cancel')}
            pending={merge.isPending}
            error={merge.error}
            onConfirm={() => merge.mutate(target.id, { onSuccess: () => onMerged(target) })}
            onCancel={onCancel}
          />
        </>
      )}
      {!target && (
        <p>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('idea.cancel')}
          </button>
        </p>
      )}
    </section>
  );
}

/** IdeaSide is one idea of the side-by-side comparison. */
function IdeaSide({ label, idea }: { label: string; idea: Idea }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <article className="merge-side" aria-labelledby={id}>
      <p className="my-kind">{label}</p>
      <h4 id={id}>{idea.title}</h4>
      <p className="idea-counts">
        {idea.theme ? `${idea.theme.name} · ` : ''}
        {t('ideas.supports', { count: idea.supports })} · {ideaAuthor(t, idea)}
      </p>
      <p className="merge-body">{excerpt(idea.body, 600)}</p>
    </article>
  );
}
