import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { FilterCheckbox, FilterSelect } from '../../components/filters';
import { LoadMore } from '../../components/LoadMore';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { useCanManageProcess, useIdeaSettings, useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { ideaAuthor } from './IdeaPage';
import { ideaStatuses, sortsFor, useIdeas, visitorSeed, type Idea, type IdeaFilters, type IdeaSettings, type IdeaSort, type IdeaStatus } from './queries';

/** parseFilters reads the ideas list's filters from the address; "mine" and "supported" need a signed-in person. */
export function parseFilters(params: URLSearchParams, signedIn: boolean): IdeaFilters {
  const theme = params.get('theme') ?? '';
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '';
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  return {
    theme: /^[1-9]\d{0,17}$/.test(theme) ? Number(theme) : undefined,
    status: (ideaStatuses as string[]).includes(status) ? (status as IdeaStatus) : undefined,
    mine: signedIn && params.get('mine') === '1' ? true : undefined,
    supported: signedIn && params.get('supported') === '1' ? true : undefined,
    q: q || undefined,
    sort: (sortsFor(q) as string[]).includes(sort) ? (sort as IdeaSort) : sortsFor(q)[0],
  };
}

/** IdeasPage lists a process's ideas with filters, search and order kept in the address: /processes/:slug/ideas. */
export function IdeasPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params, account != null);
  const [seed] = useState(visitorSeed);
  const process = useProcess(slug);
  const settings = useIdeaSettings(slug);
  const ideas = useIdeas(slug, filters, seed, account?.id);
  const canManage = useCanManageProcess(slug, account).allowed;
  const [q, setQ] = useState(filters.q ?? '');
  const list = useRef<HTMLOListElement>(null);
  const searchId = useId();
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(process.data ? t('ideas.documentTitle', { process: process.data.title }) : undefined, notFound);

  const items = ideas.data?.pages.flatMap((p) => p.items) ?? [];

  function update(patch: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }
  function search(e: FormEvent) {
    e.preventDefault();
    update({ q: q.trim() || undefined });
  }

  if (process.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (process.isError) return <ErrorMessage error={process.error} />;

  const themes = settings.data?.themes ?? [];
  const filtered = filters.theme !== undefined || filters.status !== undefined || filters.mine || filters.supported || filters.q !== undefined;
  return (
    <div className="ideas-page">
      <ProcessCrumb slug={slug} title={process.data.title} />
      <h1>{t('ideas.title')}</h1>
      {settings.data && <SupportRules settings={settings.data} />}
      <ul className="idea-links">
        {settings.data?.open && (
          <li>
            <Link to={`/processes/${slug}/ideas/new`} className="button-link">
              {t('ideas.propose')}
            </Link>
          </li>
        )}
        {canManage && (
          <li>
            <Link to={`/processes/${slug}/ideas/settings`}>{t('ideas.settings')}</Link>
          </li>
        )}
        <li>
          <a href={`/api/v1/processes/${encodeURIComponent(slug)}/ideas/export?format=csv`} download>
            {t('ideas.export')}
          </a>
        </li>
      </ul>
      {settings.isError && <ErrorMessage error={settings.error} />}

      <form role="search" className="idea-search" aria-label={t('ideas.searchLabel')} onSubmit={search}>
        <label htmlFor={searchId}>{t('ideas.search')}</label>
        <div className="search-row">
          <input id={searchId} type="search" name="q" value={q} maxLength={200} onChange={(e) => setQ(e.target.value)} />
          <button type="submit">{t('ideas.searchButton')}</button>
        </div>
      </form>

      <div className="idea-filters" role="group" aria-label={t('ideas.filtersLabel')}>
        <FilterSelect
          label={t('ideas.theme')}
          value={filters.theme !== undefined ? String(filters.theme) : ''}
          options={[{ value: '', label: t('ideas.allThemes') }, ...themes.map((th) => ({ value: String(th.id), label: th.name }))]}
          onChange={(v) => update({ theme: v })}
        />
        <FilterSelect
          label={t('ideas.status')}
          value={filters.status ?? ''}
          options={[{ value: '', label: t('ideas.anyStatus') }, ...ideaStatuses.map((s) => ({ value: s, label: t(`ideaStatus.${s}`) }))]}
          onChange={(v) => update({ status: v })}
        />
        <FilterSelect
          label={t('ideas.sort')}
          value={filters.sort}
          options={sortsFor(filters.q).map((s) => ({ value: s, label: t(`ideas.sorts.${s}`) }))}
          onChange={(v) => update({ sort: v === sortsFor(filters.q)[0] ? undefined : v })}
        />
        {account && (
          <>
            <FilterCheckbox label={t('ideas.mine')} checked={filters.mine === true} onChange={(v) => update({ mine: v ? '1' : undefined })} />
            <FilterCheckbox label={t('ideas.supported')} checked={filters.supported === true} onChange={(v) => update({ supported: v ? '1' : undefined })} />
          </>
        )}
      </div>

      <section aria-labelledby="idea-list-heading" aria-busy={ideas.isFetching}>
        <h2 id="idea-list-heading">{t('ideas.listTitle')}</h2>
        <p role="status" className="list-status">
          {ideas.isSuccess && (items.length === 0 ? (filtered ? t('ideas.noMatch') : t('ideas.empty')) : t('ideas.shown', { count: items.length }))}
        </p>
        <QueryState query={ideas} />
        {items.length > 0 && (
          <ol className="idea-list" ref={list}>
            {items.map((idea) => (
              <IdeaCard key={idea.id} slug={slug} idea={idea} />
            ))}
          </ol>
        )}
        {/* After "Load more", the keyboard continues at the first new idea. */}
        <LoadMore pages={ideas} label={t('ideas.loadMore')} count={items.length} listRef={list} focusSelector=".idea-card h3 a" />
      </section>
    </div>
  );
}

/** SupportRules says how many ideas each person may support. */
export function SupportRules({ settings: s }: { settings: IdeaSettings }) {
  const { t } = useTranslation();
  const rules = [
    s.support_limit > 0 ? t('ideas.rules.limit', { count: s.support_limit }) : t('ideas.rules.unlimited'),
    s.one_per_theme ? t('ideas.rules.onePerTheme') : '',
    s.open ? '' : t('ideas.rules.closed'),
  ].filter(Boolean);
  return <p className="lead">{rules.join(' ')}</p>;
}

function IdeaCard({ slug, idea }: { slug: string; idea: Idea }) {
  const { t } = useTranslation();
  return (
    <li className="idea-card">
      <h3 dir="auto">
        <Link to={`/processes/${slug}/ideas/${idea.id}`}>{idea.title}</Link>
      </h3>
      <p className="idea-tags">
        {idea.theme && <span className="theme-tag">{idea.theme.name}</span>}
        <span className={`status-tag status-${idea.status}`}>{t(`ideaStatus.${idea.status}`)}</span>
        {idea.moderation !== 'published' && <span className="status-tag">{t(`moderation.status.${idea.moderation}`)}</span>}
      </p>
      <p className="idea-counts">
        {t('ideas.supports', { count: idea.supports })} · {t('ideas.comments', { count: idea.comments })} · {t('ideas.by', { name: ideaAuthor(t, idea) })}
      </p>
    </li>
  );
}
