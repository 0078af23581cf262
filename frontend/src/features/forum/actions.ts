// Writes of the forum. None of these routes declares an Idempotency-Key: a
// draft's edits, signatures and dissents carry its revision instead (a repeat
// is refused as stale or already signed), and a contribution joins one cluster
// at most (a repeat is refused as already clustered).
import { api, toAppError } from '../../api/client';
import type { ClusterDetail, ClusterInput, ContributionRef, Forum, ForumResponse, ForumSettings, ResponseEdit, ResponseInput } from './queries';

/** saveForumSettings sets a process's signing rule and response target. */
export async function saveForumSettings(slug: string, input: ForumSettings): Promise<Forum> {
  const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/forum/settings', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** createCluster groups contributions into a new cluster. */
export async function createCluster(slug: string, input: ClusterInput): Promise<ClusterDetail> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/forum/clusters', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** addClusterMembers adds contributions to an existing cluster. */
export async function addClusterMembers(clusterId: number, members: ContributionRef[]): Promise<ClusterDetail> {
  const { data, error, response } = await api.POST('/api/v1/clusters/{clusterID}/members', { params: { path: { clusterID: clusterId } }, body: { members } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** dismissSuggestion says that these contributions are not one cluster. */
export async function dismissSuggestion(slug: string, members: ContributionRef[]): Promise<void> {
  const { error, response } = await api.POST('/api/v1/processes/{slug}/forum/suggestions/dismiss', { params: { path: { slug } }, body: { members } });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

/** createResponse drafts a response. */
export async function createResponse(slug: string, input: ResponseInput): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/processes/{slug}/forum/responses', { params: { path: { slug } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** editResponse changes a draft on the revision being edited; its signatures and dissents are cleared. */
export async function editResponse(id: number, input: ResponseEdit): Promise<ForumResponse> {
  const { data, error, response } = await api.PATCH('/api/v1/responses/{responseID}', { params: { path: { responseID: id } }, body: input });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** discardResponse throws a draft away. */
export async function discardResponse(id: number): Promise<void> {
  const { error, response } = await api.DELETE('/api/v1/responses/{responseID}', { params: { path: { responseID: id } } });
  if (error || !response.ok) throw toAppError(error, response.status, response.headers);
}

/** signResponse signs the revision of a draft the member read; the answer is published when the rule is met. */
export async function signResponse(id: number, revision: number): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/responses/{responseID}/sign', { params: { path: { responseID: id } }, body: { revision } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}

/** dissentFromResponse attaches a dissenting note to a draft instead of signing it. */
export async function dissentFromResponse(id: number, revision: number, note: string): Promise<ForumResponse> {
  const { data, error, response } = await api.POST('/api/v1/responses/{responseID}/dissent', { params: { path: { responseID: id } }, body: { revision, note } });
  if (error || !data) throw toAppError(error, response.status, response.headers);
  return data;
}
