import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from './status';

/** NotFound says that nothing lives at this address and links home. */
export function NotFound({ title, body }: { title: string; body: string }) {
  const { t } = useTranslation();
  useDocumentTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">{t('process.backHome')}</Link>
      </p>
    </>
  );
}

/** NotFoundPage answers client-side routes that do not exist. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return <NotFound title={t('notFound.title')} body={t('notFound.body')} />;
}
