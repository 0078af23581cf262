import type { Idea } from './queries';

type T = (key: string, opts?: Record<string, unknown>) => string;

/** ideaAuthor names who an idea is from: its author, or the person a process owner entered it for. */
export function ideaAuthor(t: T, idea: Idea): string {
  if (idea.channel === 'online') return idea.author.name;
  return idea.contributor || t('idea.anonymousContributor');
}
