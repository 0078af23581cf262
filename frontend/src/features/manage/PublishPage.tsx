import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { Process } from '../../api/client';
import { ConfirmStep } from '../../components/ConfirmStep';
import { formatDate } from '../../lib/format';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { ManageFrame } from './ManageFrame';
import { usePublish, type PublishResult } from './mutations';

/**
 * PublishPage opens an unpublished process to the public: /processes/:slug/publish.
 * It warns first of each empty part of the engagement mandate; publishing is
 * allowed anyway.
 */
export function PublishPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  return <ManageFrame slug={slug} title={t('manage.publish.title')}>{(p) => <Publication process={p} />}</ManageFrame>;
}

function Publication({ process: p }: { process: Process }) {
  const { t, i18n } = useTranslation();
  const publish = usePublish(p.slug);
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<PublishResult | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const done = useRef<HTMLHeadingElement>(null);
  const focusLater = useFocusAfterRender();

  if (result) {
    return (
      <div role="status">
        <h2 ref={done} tabIndex={-1}>
          {t('manage.publish.done')}
        </h2>
        {result.warnings.length > 0 && (
          <>
            <p>{t('manage.publish.doneWarnings')}</p>
            <MissingParts slug={p.slug} parts={result.warnings.map((w) => w.field)} />
          </>
        )}
        <p>
          <Link to={`/processes/${p.slug}`}>{t('manage.publish.see')}</Link>
        </p>
      </div>
    );
  }
  if (p.published_at) {
    return (
      <>
        <p>{t('manage.publish.already', { date: formatDate(p.published_at, i18n.language) })}</p>
        <p>
          <Link to={`/processes/${p.slug}`}>{t('manage.publish.see')}</Link>
        </p>
      </>
    );
  }
  const missing = p.mandate?.missing ?? [];
  return (
    <>
      <p>{t('manage.publish.intro')}</p>
      <section aria-labelledby="warnings-heading" className={missing.length > 0 ? 'notice-box' : undefined}>
        <h2 id="warnings-heading">{t('manage.publish.checks')}</h2>
        {missing.length > 0 ? (
          <>
            <p>{t('manage.publish.warnings', { count: missing.length })}</p>
            <MissingParts slug={p.slug} parts={missing} />
            <p>
              <Link to={`/processes/${p.slug}/mandate`}>{t('manage.publish.complete')}</Link>
            </p>
          </>
        ) : (
          <p>{t('manage.publish.mandateComplete')}</p>
        )}
      </section>
      {asking ? (
        <ConfirmStep
          question={t('manage.publish.question', { title: p.title })}
          confirmLabel={t('manage.publish.confirm')}
          cancelLabel={t('manage.publish.cancel')}
          pending={publish.isPending}
          error={publish.error}
          onConfirm={() =>
            publish.mutate(undefined, {
              onSuccess: (res) => {
                setResult(res);
                focusLater(() => done.current);
              },
            })
          }
          onCancel={() => {
            setAsking(false);
            focusLater(() => button.current);
          }}
        />
      ) : (
        <p>
          <button type="button" ref={button} onClick={() => setAsking(true)}>
            {missing.length > 0 ? t('manage.publish.anyway') : t('manage.publish.button')}
          </button>
        </p>
      )}
    </>
  );
}

/** MissingParts lists the empty parts of a mandate, each a link to its place in the mandate form. */
function MissingParts({ slug, parts }: { slug: string; parts: string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="missing-parts">
      {parts.map((part) => (
        <li key={part}>
          <Link to={`/processes/${slug}/mandate#mandate-${part}`}>{t(`mandate.parts.${part}`)}</Link>
        </li>
      ))}
    </ul>
  );
}
