import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { AppError } from '../../api/client';
import { NotFound } from '../../components/NotFoundPage';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { useAccount } from '../../lib/useAccount';
import './commitments.css';
import { useCreateUpdate } from './mutations';
import { useCommitment, type Commitment } from './queries';
import { initialDraft, inputOf, UpdateEditor, type UpdateDraft } from './UpdateEditor';

/**
 * UpdateEditorPage drafts a progress update of a commitment:
 * /processes/:slug/commitments/:commitmentID/updates/new (?corrects=ID drafts
 * a correction of a published update). Once saved, the draft's page is where
 * it is published or signed.
 */
export function UpdateEditorPage() {
  const { slug = '', commitmentID = '' } = useParams();
  const { t } = useTranslation();
  const account = useAccount();
  const valid = /^[1-9]\d{0,17}$/.test(commitmentID);
  const c = useCommitment(Number(commitmentID), account?.id, valid);
  useDocumentTitle(t('commitments.editor.newTitle'));
  if (!valid || (c.error instanceof AppError && c.error.status === 404)) return <NotFound title={t('commitments.notFoundTitle')} body={t('commitments.notFoundBody')} />;
  if (c.isPending) return <Loading />;
  if (c.isError) return <ErrorMessage error={c.error} />;
  if (!c.data.viewer.write) {
    return (
      <div className="update-page">
        <h1>{t('commitments.editor.newTitle')}</h1>
        <p>{t('commitments.editor.notWriter')}</p>
      </div>
    );
  }
  return <NewUpdate slug={slug} commitment={c.data} />;
}

function NewUpdate({ slug, commitment: c }: { slug: string; commitment: Commitment }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const corrects = /^[1-9]\d{0,17}$/.test(params.get('corrects') ?? '') ? Number(params.get('corrects')) : null;
  const base = corrects != null ? c.updates.find((u) => u.id === corrects && u.state === 'published') : undefined;
  const [draft, setDraft] = useState<UpdateDraft>(() => ({ ...initialDraft(c, base), correctionReason: '' }));
  const create = useCreateUpdate(slug, c.id);
  return (
    <div className="update-page">
      <p className="breadcrumb">
        <Link to={`/processes/${slug}/commitments/${c.id}`}>{c.title}</Link>
      </p>
      <h1>{base ? t('commitments.editor.correctionTitle', { id: base.id }) : t('commitments.editor.newTitle')}</h1>
      <p className="lead">{t('commitments.editor.intro', { title: c.title })}</p>
      <UpdateEditor
        commitment={c}
        value={draft}
        onChange={setDraft}
        correcting={base != null}
        pending={create.isPending}
        error={create.error}
        submitLabel={t('commitments.editor.saveDraft')}
        onSubmit={() =>
          create.mutate(inputOf(c, draft, base ? { supersedes: base.id, correction_reason: draft.correctionReason } : {}), {
            onSuccess: (u) => navigate(`/progress-updates/${u.id}`, { state: { notice: 'commitments.update.drafted' } }),
          })
        }
        onCancel={() => navigate(`/processes/${slug}/commitments/${c.id}`)}
      />
    </div>
  );
}
