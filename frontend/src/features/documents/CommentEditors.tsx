// The forms a comment opens in place: a reply, an edit, the question before
// deleting. Each holds its own write, so a closed form forgets its failure.
import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmStep } from '../../components/ConfirmStep';
import { CommentForm } from './CommentForm';
import { useDeleteComment, useEditComment, useReply } from './mutations';
import type { Comment } from './queries';
import type { ThreadContext } from './thread';

/** ReplyForm replies to a comment; onDone receives what to tell the person (published, or held for review). */
export function ReplyForm({ comment: c, ctx, textareaRef, onDone, onCancel }: {
  comment: Comment;
  ctx: ThreadContext;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onDone: (notice: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const reply = useReply(c.id, ctx, (r) => onDone(r.status === 'pending' ? t('comment.pending') : t('comment.replied')));
  return (
    <CommentForm
      label={t('comment.form.replyLabel', { name: c.author?.name ?? '' })}
      submitLabel={t('comment.form.postReply')}
      textareaRef={textareaRef}
      pending={reply.isPending}
      error={reply.error}
      onSubmit={(body) => reply.mutate(body)}
      onCancel={onCancel}
    />
  );
}

/**
 * EditForm changes one's own comment, on the revision the person started from,
 * starting from initial (the edit that waits for a moderator, when the person
 * just sent one) or the published text; onDone receives the saved comment.
 */
export function EditForm({ comment: c, ctx, revision, initial, textareaRef, onDone, onCancel }: {
  comment: Comment;
  ctx: ThreadContext;
  revision: number;
  initial?: string;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  onDone: (saved: Comment) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const edit = useEditComment(c.id, ctx, onDone);
  return (
    <CommentForm
      label={t('comment.form.editLabel')}
      submitLabel={t('comment.form.save')}
      initial={initial ?? c.body}
      textareaRef={textareaRef}
      pending={edit.isPending}
      error={edit.error}
      onSubmit={(body) => edit.mutate({ body, revision })}
      onCancel={onCancel}
    />
  );
}

/** ConfirmDelete asks before deleting one's comment. */
export function ConfirmDelete({ comment, ctx, onDeleted, onCancel }: { comment: Comment; ctx: ThreadContext; onDeleted: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteComment(comment.id, ctx, onDeleted);
  return (
    <ConfirmStep
      question={t('comment.confirmDelete')}
      confirmLabel={t('comment.confirmDeleteYes')}
      cancelLabel={t('comment.form.cancel')}
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate()}
      onCancel={onCancel}
    />
  );
}
