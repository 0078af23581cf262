import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AppError, type Process } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { CommitmentsSection } from '../commitments/CommitmentsSection';
import { DraftsSection } from '../documents/DraftsSection';
import { ForumSection } from '../forum/ForumSection';
import { MeetingsSection } from '../meetings/MeetingsSection';
import { IdeasSection } from '../ideas/IdeasSection';
import { ModerationSection } from '../moderation/ModerationSection';
import { ReportsSection } from '../report/ReportsSection';
import { RepositorySection } from '../repository/RepositorySection';
import { SurveySection } from '../survey/SurveySection';
import { PeopleSection } from '../roles/PeopleSection';
import { FollowButton } from '../notifications/FollowButton';
import { FeedLinks } from './FeedLinks';
import { MandateSection } from './MandateSection';
import { PhaseTimeline } from './PhaseTimeline';
import { UpdatesSection } from './UpdatesSection';
import { formatDate } from '../../lib/format';
import { useProcess } from '../../lib/process';
import { langAttrs } from '../../lib/direction';

/** ProcessPage shows one process: summary, timeline, and what a person can do now. */
export function ProcessPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const process = useProcess(slug);
  const notFound = process.error instanceof AppError && process.error.status === 404;
  useDocumentTitle(process.data?.title, notFound);

  if (process.isPending) return <Loading />;
  if (notFound) return <NotFound title={t('process.notFoundTitle')} body={t('process.notFoundBody')} />;
  if (process.isError) return <ErrorMessage error={process.error} />;

  const p = process.data;
  return (
    <article className="process">
      <h1 {...langAttrs(p.languages[0])}>{p.title}</h1>
      <p className={`stage stage-${p.stage}`}>{t(`stage.${p.stage}`)}</p>
      {p.published_at !== null && <FollowButton subject={{ kind: 'process', slug: p.slug }} />}
      {p.published_at === null && (
        <p className="notice-box">
          {t('manage.unpublishedNotice')}{' '}
          {p.viewer?.manage && <Link to={`/processes/${p.slug}/publish`}>{t('manage.publishLink')}</Link>}
        </p>
      )}
      {p.viewer?.manage && (
        <p className="manage-link">
          <Link to={`/processes/${p.slug}/manage`}>{t('manage.hubLink')}</Link>
        </p>
      )}
      {/* summary_html is Markdown rendered and sanitised by the server (bluemonday). */}
      <div className="summary user-text" {...langAttrs(p.languages[0])} dangerouslySetInnerHTML={{ __html: p.summary_html }} />
      <p className="languages">{t('process.languages', { list: languageNames(p.languages) })}</p>
      {p.mandate && <MandateSection mandate={p.mandate} />}
      <NowBox process={p} />
      <SurveySection slug={p.slug} />
      <UpdatesSection slug={p.slug} lang={p.languages[0]} />
      <IdeasSection process={p} />
      <DraftsSection slug={p.slug} />
      <ForumSection process={p} />
      <RepositorySection slug={p.slug} />
      <MeetingsSection process={p} />
      <CommitmentsSection process={p} />
      <ReportsSection process={p} />
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('process.timeline')}</h2>
        <PhaseTimeline phases={p.phases} />
      </section>
      {p.published_at !== null && <FeedLinks slug={p.slug} />}
      <ModerationSection process={p} />
      <PeopleSection process={p} />
    </article>
  );
}

function languageNames(codes: string[]): string {
  const names = new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' });
  return codes.map((c) => names.of(c) ?? c).join(', ');
}

/** NowBox says what a person can do in the current phase, or when the next opens. */
function NowBox({ process: p }: { process: Process }) {
  const { t, i18n } = useTranslation();
  let text: string;
  if (p.current_phase) {
    text = t(`canDo.${p.current_phase}`);
  } else {
    const next = p.phases.find((ph) => ph.state === 'upcoming');
    if (next) {
      text = t('canDo.next', { phase: t(`phase.${next.kind}`), date: formatDate(next.opens_at, i18n.language) });
    } else if (p.phases.length > 0) {
      text = t('canDo.ended');
    } else {
      text = t('canDo.none');
    }
  }
  return (
    <section className="now-box" aria-labelledby="now-heading">
      <h2 id="now-heading">{t('process.nowTitle')}</h2>
      <p>{text}</p>
    </section>
  );
}
