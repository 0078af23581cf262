import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** ProcessCrumb leads back to the process a page belongs to. */
export function ProcessCrumb({ slug, title }: { slug: string; title: string | undefined }) {
  const { t } = useTranslation();
  return (
    <p className="breadcrumb">
      <Link to={`/processes/${slug}`}>{title ?? t('reader.backToProcess')}</Link>
    </p>
  );
}
