import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { useProcess, useIdeaSettings } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { IdeaForm, type IdeaDraft } from './IdeaForm';
import { useCreateIdea } from './mutations';
import { similarReady, useSimilarIdeas } from './queries';

/** similarDelay is how long typing pauses before looking for similar ideas. */
export const similarDelay = 300;

/** ProposeIdeaPage is the form to propose an idea: /processes/:slug/ideas/new. */
export function ProposeIdeaPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const navigate = useNavigate();
  const process = useProcess(slug);
  const settings = useIdeaSettings(slug);
  const [draft, setDraft] = useState<IdeaDraft>({ title: '', themeId: '', body: '' });
  const notFound = settings.error instanceof AppError && settings.error.status === 404;
  useDocumentTitle(t('propose.title'), notFound);

  const create = useCreateIdea(slug);
  const send = () =>
    create.mutate(draft, {
      onSuccess: (idea) => navigate(`/processes/${slug}/ideas/${idea.id}`, { state: { notice: idea.moderation === 'published' ? 'propose.done' : 'propose.pending' } }),
    });

  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  return (
    <div className="propose-page">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('propose.title')}</h1>
      {!account ? (
        <p>
          <Link to="/login" state={{ from: location.pathname }}>
            {t('propose.signIn')}
          </Link>
        </p>
      ) : settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorMessage error={settings.error} />
      ) : !settings.data.open ? (
        <p className="notice-box">{t('propose.closed')}</p>
      ) : (
        <>
          <p className="lead">{t('propose.intro')}</p>
          <IdeaForm
            themes={settings.data.themes}
            value={draft}
            onChange={setDraft}
            submitLabel={t('propose.submit')}
            onSubmit={send}
            pending={create.isPending}
            error={create.error}
            afterTitle={<SimilarIdeas slug={slug} text={`${draft.title}\n${draft.body}`} />}
          />
        </>
      )}
    </div>
  );
}

/** useDebounced returns value once it has stopped changing for delay ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * SimilarIdeas lists, as the person writes, up to five ideas already proposed
 * that resemble their text, so they may support one instead. The list sits in
 * a polite live region: screen readers hear it appear without losing their place.
 */
export function SimilarIdeas({ slug, text }: { slug: string; text: string }) {
  const { t } = useTranslation();
  const query = useDebounced(text.trim().replace(/\s+/g, ' ').slice(0, 2000), similarDelay);
  const similar = useSimilarIdeas(slug, similarReady(query) ? query : '');
  const items = similarReady(query) ? (similar.data ?? []) : [];
  return (
    <div className="similar-ideas" aria-live="polite">
      {items.length > 0 && (
        <div className="similar-box">
          <h2 className="similar-title">{t('propose.similarTitle')}</h2>
          <p>{t('propose.similarHint')}</p>
          <ul>
            {items.map((idea) => (
              <li key={idea.id}>
                <Link to={`/processes/${slug}/ideas/${idea.id}`} target="_blank" rel="noopener">
                  {idea.title}
                  <span aria-hidden="true"> ↗</span>
                  <span className="visually-hidden"> {t('propose.newTab')}</span>
                </Link>{' '}
                <span className="idea-counts">{t('ideas.supports', { count: idea.supports })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
