// Writes on ideas. Each takes the Idempotency-Key of its submission (see
// lib/idempotency.ts) and throws an AppError on failure.
import { api, toAppError } from '../../api/client';
import type { Comment } from '../documents/queries';
import type { Idea, IdeaCreate, IdeaEdit, IdeaSettings, IdeaSettingsInput, SupportState } from './queries';

const idem = (key: string) => ({ 'Idempotency-Key': key });

/** createIdea proposes an idea in a process. */
export async function createIdea(slug: string, input: IdeaCreate, key: string): Promise<Idea> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/ideas', {
    params: { path: { slug }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** editIdea replaces one's own idea's title, theme and body; revision is the one being edited. */
export async function editIdea(id: number, input: IdeaEdit, key: string): Promise<Idea> {
  const { data, error, response } = await api.PATCH('/api/v1/ideas/{ideaID}', {
    params: { path: { ideaID: id }, header: idem(key) },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** withdrawIdea withdraws one's own idea; its supports go back to their givers. */
export async function withdrawIdea(id: number, key: string): Promise<Idea> {
  const { data, error, response } = await api.POST('/api/v1/ideas/{ideaID}/withdraw', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** supportIdea gives the caller's support to an idea. */
export async function supportIdea(id: number, key: string): Promise<SupportState> {
  const { data, error, response } = await api.PUT('/api/v1/ideas/{ideaID}/support', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** retractSupport takes the caller's support for an idea back. */
export async function retractSupport(id: number, key: string): Promise<SupportState> {
  const { data, error, response } = await api.DELETE('/api/v1/ideas/{ideaID}/support', {
    params: { path: { ideaID: id }, header: idem(key) },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** postIdeaComment comments on an idea; replies go through the comments' own routes. */
export async function postIdeaComment(id: number, body: string, key: string): Promise<Comment> {
  const { data, error, response } = await api.POST('/api/v1/ideas/{ideaID}/comments', {
    params: { path: { ideaID: id }, header: idem(key) },
    body: { body },
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** saveIdeaSettings replaces a process's themes and support rules. */
export async function saveIdeaSettings(slug: string, input: IdeaSettingsInput): Promise<IdeaSettings> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/idea-settings', {
    params: { path: { slug } },
    body: input,
  });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}
