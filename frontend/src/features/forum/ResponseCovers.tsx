import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFocusAfterRender } from '../../lib/useFocusAfterRender';
import { AddParagraph } from './AddParagraph';
import { coverKey } from './format';
import type { EditorCover } from './responseFields';

/**
 * ResponseCovers is the editor's list of what the response covers, with the
 * number of contributions they stand for: each can be removed (the focus goes
 * to the next one, else to the heading) and a draft's paragraph added.
 */
export function ResponseCovers({ slug, headingId, covers, required, onChange }: {
  slug: string;
  headingId: string;
  covers: EditorCover[];
  /** The form was refused for covering nothing. */
  required: boolean;
  onChange: (update: (covers: EditorCover[]) => EditorCover[]) => void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const focusLater = useFocusAfterRender();
  const total = covers.reduce((n, c) => n + c.count, 0);

  function remove(i: number) {
    onChange((cs) => cs.filter((_, j) => j !== i));
    focusLater(() => {
      const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button');
      return buttons && buttons.length > 0 ? buttons[Math.min(i, buttons.length - 1)] : heading.current;
    });
  }
  function add(c: EditorCover) {
    onChange((cs) => (cs.some((x) => coverKey(x) === coverKey(c)) ? cs : [...cs, c]));
  }

  return (
    <div className="editor-covers" role="group" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} ref={heading}>
        {t('forum.editor.covers')}
      </h3>
      {required && <p className="field-error">{t('forum.editor.coversRequired')}</p>}
      {covers.length === 0 ? (
        <p>{t('forum.editor.noCovers')}</p>
      ) : (
        <ul className="cover-list" ref={list}>
          {covers.map((c, i) => {
            // A contribution the public may no longer read has no label: it is named by its kind and id.
            const label = c.label || t(`forum.cover.${c.kind}`, { id: c.id, key: c.paragraph_key });
            return (
              <li key={coverKey(c)}>
                <span className="cover-kind">{t(`forum.coverKind.${c.kind}`)}:</span> {label}
                {(c.kind === 'cluster' || c.kind === 'paragraph') && <span className="muted"> {t('forum.response.contributionsParen', { count: c.count })}</span>}{' '}
                <button type="button" className="link-button" onClick={() => remove(i)} aria-label={t('forum.editor.removeCover', { label })}>
                  {t('forum.editor.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p aria-live="polite" className="muted">
        {t('forum.editor.coverTotal', { count: covers.length, contributions: total })}
      </p>
      <AddParagraph slug={slug} onAdd={add} />
    </div>
  );
}
