import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ProcessCrumb } from '../../components/ProcessCrumb';
import { ErrorMessage, Loading, QueryState, useDocumentTitle } from '../../components/status';
import { useProcess } from '../../lib/process';
import { useAccount } from '../../lib/useAccount';
import { useAnnouncer } from '../../lib/useAnnouncer';
import { ClustersSection, SuggestionsSection } from './ClusterSections';
import { CoverageSection } from './CoveragePage';
import { missingText, plainExcerpt } from './format';
import { ForumLinks } from './ForumPage';
import { useClusters, useCoverage, useDraftResponses, useForum, type Forum, type ForumResponse, type UnansweredFilters } from './queries';
import { ResponseEditor, type EditorCover } from './ResponseEditor';
import { DispositionTag } from './ResponseParts';
import { UnansweredSection } from './UnansweredSection';

const idPattern = /^[1-9]\d{0,17}$/;

/** parseUnansweredFilters reads the unanswered list's filters from the workspace's address. */
export function parseUnansweredFilters(params: URLSearchParams): UnansweredFilters {
  const num = (k: string) => {
    const v = params.get(k) ?? '';
    return idPattern.test(v) ? Number(v) : undefined;
  };
  const kind = params.get('kind');
  const key = (params.get('paragraph') ?? '').trim();
  const documentId = num('document');
  return {
    kind: kind === 'comment' || kind === 'idea' ? kind : undefined,
    documentId,
    paragraphKey: documentId !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(key) ? key : undefined,
    themeId: num('theme'),
    clusterId: num('cluster'),
  };
}

/** ForumWorkspacePage is where the forum answers contributions: /processes/:slug/forum/workspace. */
export function ForumWorkspacePage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const process = useProcess(slug);
  const forum = useForum(slug, account);
  const notFound = (forum.error instanceof AppError && forum.error.status === 404) || (process.error instanceof AppError && process.error.status === 404);
  useDocumentTitle(t('forum.work.title'), notFound);
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;

  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname + location.search }}>
          {t('forum.work.signIn')}
        </Link>
      </p>
    );
  } else if (forum.isPending) {
    content = <Loading />;
  } else if (forum.isError) {
    content = <ErrorMessage error={forum.error} />;
  } else if (!forum.data.viewer.member && !forum.data.viewer.manage) {
    content = <p className="notice-box">{t('forum.work.forbidden')}</p>;
  } else {
    content = <Workspace slug={slug} forum={forum.data} />;
  }
  return (
    <div className="forum-workspace">
      <ProcessCrumb slug={slug} title={process.data?.title} />
      <h1>{t('forum.work.title')}</h1>
      <ForumLinks slug={slug} forum={forum.data} current="workspace" />
      {content}
    </div>
  );
}

function Workspace({ slug, forum }: { slug: string; forum: Forum }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = parseUnansweredFilters(params);
  const draftParam = params.get('draft') ?? '';
  const draftId = idPattern.test(draftParam) ? Number(draftParam) : undefined;
  const [newCovers, setNewCovers] = useState<EditorCover[] | null>(null);
  // Each opening of the editor is a new session (a new component); saving a new draft is not.
  const [session, setSession] = useState(0);
  const [announcement, announce] = useAnnouncer();
  const editorHeading = useRef<HTMLHeadingElement>(null);
  const focusEditor = useRef(false);
  const [focusCluster, setFocusCluster] = useState<number | null>(null);
  const clusters = useClusters(slug);
  const canWrite = forum.viewer.member;

  useEffect(() => {
    if (focusEditor.current && editorHeading.current) {
      focusEditor.current = false;
      editorHeading.current.focus();
    }
  });

  function update(patch: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  function respond(covers: EditorCover[]) {
    setNewCovers(covers);
    setSession((s) => s + 1);
    focusEditor.current = true;
    update({ draft: undefined });
  }
  function openDraft(id: number) {
    setNewCovers(null);
    setSession((s) => s + 1);
    focusEditor.current = true;
    update({ draft: String(id) });
  }
  function closeEditor() {
    setNewCovers(null);
    update({ draft: undefined });
    setTimeout(() => document.getElementById('work-drafts')?.focus(), 0);
  }

  const editing = draftId !== undefined || newCovers !== null;
  return (
    <>
      <nav aria-label={t('forum.work.sections')}>
        <ul className="idea-links">
          {editing && (
            <li>
              <a href="#work-editor">{t('forum.editor.jump')}</a>
            </li>
          )}
          <li>
            <a href="#work-unanswered">{t('forum.work.unanswered')}</a>
          </li>
          <li>
            <a href="#work-suggestions">{t('forum.work.suggestions')}</a>
          </li>
          <li>
            <a href="#work-clusters">{t('forum.work.clusters')}</a>
          </li>
          <li>
            <a href="#work-drafts">{t('forum.work.drafts')}</a>
          </li>
          <li>
            <a href="#work-coverage">{t('forum.work.coverage')}</a>
          </li>
        </ul>
      </nav>
      {!canWrite && <p className="notice-box">{t('forum.work.readOnly')}</p>}
      <p role="status" aria-live="polite" className="console-status">
        {announcement}
      </p>

      {editing && (
        <div id="work-editor">
          <ResponseEditor
            key={session}
            slug={slug}
            forum={forum}
            draftId={draftId}
            covers={newCovers ?? undefined}
            headingRef={editorHeading}
            announce={announce}
            onCreated={(id) => {
              setNewCovers(null);
              update({ draft: String(id) });
            }}
            onClose={closeEditor}
          />
        </div>
      )}

      <UnansweredSection
        slug={slug}
        filters={filters}
        update={update}
        canWrite={canWrite}
        clusters={clusters.data ?? []}
        announce={announce}
        onRespond={respond}
        onClustered={setFocusCluster}
      />
      <SuggestionsSection slug={slug} canWrite={canWrite} announce={announce} onClustered={setFocusCluster} />
      <ClustersSection clusters={clusters} canWrite={canWrite} focusId={focusCluster} onFocused={() => setFocusCluster(null)} onRespond={respond} />
      <DraftsSection slug={slug} onOpen={openDraft} />
      <WorkCoverage slug={slug} />
    </>
  );
}

/** DraftsSection lists the forum's drafts with the signatures they still need. */
function DraftsSection({ slug, onOpen }: { slug: string; onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const drafts = useDraftResponses(slug);
  const items = drafts.data ?? [];
  return (
    <section aria-labelledby="work-drafts" aria-busy={drafts.isFetching}>
      <h2 id="work-drafts" tabIndex={-1}>
        {t('forum.work.drafts')}
      </h2>
      <QueryState query={drafts} empty={items.length === 0 && t('forum.work.noDrafts')} />
      {items.length > 0 && (
        <ol className="draft-cards">
          {items.map((r) => (
            <DraftCard key={r.id} r={r} onOpen={() => onOpen(r.id)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function DraftCard({ r, onOpen }: { r: ForumResponse; onOpen: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const missing = missingText(t, r);
  const signed = r.signatures.filter((s) => s.kind === 'sign').length;
  const dissents = r.signatures.length - signed;
  return (
    <li className="draft-card">
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <Link to={`/responses/${r.id}`}>{t('forum.editor.draftTitle', { id: r.id })}</Link> <DispositionTag disposition={r.disposition} />
        </h3>
        {r.supersedes != null && <p className="notice-box">{t('forum.editor.corrects', { id: r.supersedes })}</p>}
        <p>{plainExcerpt(r.reasoning, 160)}</p>
        <p className="queue-meta">
          {t('forum.response.contributions', { count: r.answered })} · {t('forum.work.signatures', { count: signed })}
          {dissents > 0 && ` · ${t('forum.work.dissentCount', { count: dissents })}`}
        </p>
        {missing.length > 0 && <p>{missing.join(' ')}</p>}
        <button type="button" className="secondary" onClick={onOpen} aria-label={t('forum.work.openDraftNamed', { title: t('forum.editor.draftTitle', { id: r.id }) })}>
          {t('forum.work.openDraft')}
        </button>
      </article>
    </li>
  );
}

function WorkCoverage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const coverage = useCoverage(slug);
  return (
    <section aria-labelledby="work-coverage">
      <h2 id="work-coverage" tabIndex={-1}>
        {t('forum.work.coverage')}
      </h2>
      <CoverageSection slug={slug} level={3} coverage={coverage} />
    </section>
  );
}
