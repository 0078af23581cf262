import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProcessDocuments } from '../../lib/process';
import { useParagraphs } from './queries';
import { paragraphLabel, type EditorCover } from './responseFields';

/** AddParagraph adds a whole paragraph of a draft to what the response covers. */
export function AddParagraph({ slug, onAdd }: { slug: string; onAdd: (c: EditorCover) => void }) {
  const { t } = useTranslation();
  const docs = useProcessDocuments(slug);
  const [doc, setDoc] = useState('');
  const [key, setKey] = useState('');
  const paragraphs = useParagraphs(doc ? Number(doc) : undefined);
  const docId = useId();
  const keyId = useId();
  const published = (docs.data ?? []).filter((x) => x.latest_number != null);
  if (published.length === 0) return null;
  const block = paragraphs.data?.find((b) => b.key === key);
  return (
    <details className="add-paragraph">
      <summary>{t('forum.editor.addParagraph')}</summary>
      <div className="idea-filters">
        <div className="filter">
          <label htmlFor={docId}>{t('forum.work.document')}</label>
          <select
            id={docId}
            value={doc}
            onChange={(e) => {
              setDoc(e.target.value);
              setKey('');
            }}
          >
            <option value="">{t('forum.work.chooseDocument')}</option>
            {published.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={keyId}>{t('forum.work.paragraph')}</label>
          <select id={keyId} value={key} disabled={!doc} onChange={(e) => setKey(e.target.value)} aria-busy={paragraphs.isFetching}>
            <option value="">{t('forum.work.chooseParagraph')}</option>
            {(paragraphs.data ?? []).map((b) => (
              <option key={b.key} value={b.key}>
                {paragraphLabel(b.text)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            if (!doc || !key) return;
            onAdd({ kind: 'paragraph', document_id: Number(doc), paragraph_key: key, label: block ? paragraphLabel(block.text) : key, count: block?.counts?.comments ?? 0 });
          }}
        >
          {t('forum.editor.addThisParagraph')}
        </button>
      </div>
    </details>
  );
}
