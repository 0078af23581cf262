import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import type { Process } from '../../api/client';
import { useDocumentTitle } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import { useChangeProcess, useCreateProcess } from './mutations';
import { ManageFrame } from './ManageFrame';
import { phasesOf, rowsOf, type PhaseRow } from './phases';
import { ProcessForm, type ProcessDraft } from './ProcessForm';

const kindsOf = (rows: PhaseRow[]) => phasesOf(rows).map((p) => p.kind);

/** NewProcessPage lets an administrator create a process, unpublished: /processes/new. */
export function NewProcessPage() {
  const { t } = useTranslation();
  const account = useAccount();
  const location = useLocation();
  const navigate = useNavigate();
  const create = useCreateProcess();
  const [sentKinds, setSentKinds] = useState<string[]>([]);
  useDocumentTitle(t('manage.new.title'));

  let content;
  if (!account) {
    content = (
      <p>
        <Link to="/login" state={{ from: location.pathname }}>
          {t('manage.new.signIn')}
        </Link>
      </p>
    );
  } else if (!account.admin) {
    content = <p className="notice-box">{t('manage.new.forbidden')}</p>;
  } else {
    content = (
      <>
        <p>{t('manage.new.intro')}</p>
        <ProcessForm
          initial={{ title: '', slug: '', summary: '', languages: '', phases: rowsOf([]) }}
          creating
          pending={create.isPending}
          error={create.error}
          sentKinds={sentKinds}
          submitLabel={t('manage.new.submit')}
          onSubmit={(d) => {
            setSentKinds(kindsOf(d.phases));
            create.mutate(d, { onSuccess: (p) => navigate(`/processes/${p.slug}/manage`, { state: { created: true } }) });
          }}
        />
      </>
    );
  }
  return (
    <div className="manage-page">
      <p className="breadcrumb">
        <Link to="/">{t('process.backHome')}</Link>
      </p>
      <h1>{t('manage.new.title')}</h1>
      {content}
    </div>
  );
}

/** draftOf is a stored process as the set-up form holds it. */
function draftOf(p: Process): ProcessDraft {
  return { title: p.title, slug: p.slug, summary: p.summary, languages: p.languages.join(', '), phases: rowsOf(p.phases) };
}

/** ProcessSettingsPage lets owners and administrators change a process: /processes/:slug/settings. */
export function ProcessSettingsPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  return (
    <ManageFrame slug={slug} title={t('manage.settings.title')}>
      {(p) => (
        <>
          <SettingsForm process={p} />
          <section aria-labelledby="more-settings-heading">
            <h2 id="more-settings-heading">{t('manage.settings.more')}</h2>
            <ul className="task-list">
              <li>
                <Link to={`/processes/${slug}/mandate`}>{t('manage.tasks.mandate.name')}</Link>
              </li>
              <li>
                <Link to={`/processes/${slug}/moderation/settings`}>{t('manage.tasks.moderationSettings.name')}</Link>
              </li>
              <li>
                <Link to={`/processes/${slug}/ideas/settings`}>{t('manage.tasks.ideaSettings.name')}</Link>
              </li>
            </ul>
          </section>
        </>
      )}
    </ManageFrame>
  );
}

function SettingsForm({ process }: { process: Process }) {
  const { t } = useTranslation();
  const change = useChangeProcess(process.slug);
  // The form starts from the process as first loaded; each save moves its base on.
  const [base, setBase] = useState(() => ({ draft: draftOf(process), updatedAt: process.updated_at }));
  const [sentKinds, setSentKinds] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <ProcessForm
        initial={base.draft}
        creating={false}
        pending={change.isPending}
        error={change.error}
        sentKinds={sentKinds}
        submitLabel={t('manage.settings.submit')}
        onSubmit={(d) => {
          setSaved(false);
          setSentKinds(kindsOf(d.phases));
          change.mutate(
            { draft: d, base: base.draft, updatedAt: base.updatedAt },
            {
              onSuccess: (p) => {
                // What was typed stays in the form; the next change is made on this version.
                setBase({ draft: draftOf(p), updatedAt: p.updated_at });
                setSaved(true);
              },
            },
          );
        }}
      />
      {saved && <p role="status">{t('manage.settings.saved')}</p>}
    </>
  );
}
