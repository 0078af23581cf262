import type { ReactNode } from 'react';
import type { Comment } from './queries';

/** WrittenOn shows the text a comment was written on (when it has changed since), its phrase marked. */
export function WrittenOn({ comment: c, label }: { comment: Comment; label: string }) {
  if (c.written_on == null) return null;
  const cps = Array.from(c.written_on);
  let text: ReactNode = c.written_on;
  if (c.quote && c.quote.end <= cps.length && cps.slice(c.quote.start, c.quote.end).join('') === c.quote.exact) {
    text = (
      <>
        {cps.slice(0, c.quote.start).join('')}
        <mark>{c.quote.exact}</mark>
        {cps.slice(c.quote.end).join('')}
      </>
    );
  }
  return (
    <div className="written-on">
      <p className="quote-label">{label}</p>
      <blockquote>
        <p>{text}</p>
      </blockquote>
    </div>
  );
}
