import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ageText, leasedNow } from './format';
import { itemLabel, type ModerationItem } from './queries';

/** QueueRow is one item of the queue: a check box for bulk decisions and a button that opens it. */
export function QueueRow({ item: it, open, checked, onCheck, onOpen, buttonRef }: {
  item: ModerationItem;
  open: boolean;
  checked: boolean;
  onCheck: (on: boolean) => void;
  onOpen: () => void;
  buttonRef: (el: HTMLButtonElement | null) => void;
}) {
  const { t } = useTranslation();
  const label = itemLabel(it);
  const id = useId();
  return (
    <li className={`queue-row${open ? ' queue-row-open' : ''}`}>
      <input type="checkbox" id={id} checked={checked} onChange={(e) => onCheck(e.target.checked)} aria-label={t('moderation.queue.select', { item: label })} />
      <div className="queue-row-main">
        <button type="button" className="queue-open" ref={buttonRef} aria-current={open ? 'true' : undefined} onClick={onOpen}>
          <span className="visually-hidden">{t('moderation.queue.kindLabel', { kind: t(`moderation.kind.${it.target.type}`) })}</span> {label}
        </button>
        <p className="queue-meta">
          <span aria-hidden="true">{t(`moderation.kind.${it.target.type}`)} · </span>
          {t(`moderation.cause.${it.cause}`)} · {ageText(t, it.created_at)} · {t('moderation.queue.flags', { count: it.flags })}
          {it.claimed_by_me ? ` · ${t('moderation.queue.claimedByMe')}` : leasedNow(it.lease_until) ? ` · ${t('moderation.queue.claimedByOther')}` : ''}
          {it.campaign && (
            <>
              {' '}
              <span className="tag-campaign">{t('moderation.queue.campaign')}</span>
            </>
          )}
        </p>
      </div>
    </li>
  );
}
