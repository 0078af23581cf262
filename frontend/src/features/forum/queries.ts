import { useInfiniteQuery, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import type { Account } from '../../api/session';
import { cacheMode, noteWrite } from '../../lib/freshness';

export type Seat = components['schemas']['Seat'];
export type Disposition = components['schemas']['Disposition'];
export type Forum = components['schemas']['Forum'];
export type ForumMember = components['schemas']['ForumMember'];
export type ForumSettings = components['schemas']['ForumSettings'];
export type SigningRule = ForumSettings['signing_rule'];
export type DecisionRule = components['schemas']['DecisionRule'];
export type Verdict = components['schemas']['Verdict'];
export type ForumTerms = components['schemas']['ForumTerms'];
export type ForumMembership = components['schemas']['ForumMembership'];
export type Declaration = components['schemas']['Declaration'];
export type MeetingFrequency = components['schemas']['MeetingFrequency'];
export type LedgerRuleChange = components['schemas']['LedgerRuleChange'];
export type LedgerResponseFields = components['schemas']['LedgerFields'];
export type LedgerRule = components['schemas']['LedgerRule'];
export type ContributionRef = components['schemas']['ContributionRef'];
export type Contribution = components['schemas']['ContributionSummary'];
export type ContributionPage = components['schemas']['ContributionPage'];
export type Cluster = components['schemas']['Cluster'];
export type ClusterDetail = components['schemas']['ClusterDetail'];
export type ClusterInput = components['schemas']['ClusterInput'];
export type ClusterSuggestion = components['schemas']['ClusterSuggestion'];
export type CoverInput = components['schemas']['CoverInput'];
export type Cover = components['schemas']['Cover'];
export type ResponseInput = components['schemas']['ResponseInput'];
export type ResponseEdit = components['schemas']['ResponseEdit'];
export type Signature = components['schemas']['Signature'];
export type ForumResponse = components['schemas']['Response'];
export type LedgerEntry = components['schemas']['LedgerEntry'];
export type ResponseEntryFields = components['schemas']['LedgerFields'];
export type ProgressEntryFields = components['schemas']['LedgerProgressFields'];
/** LedgerKind is the kind of a ledger entry: a response, a change of the forum's rule, or a commitment's progress update. */
export type LedgerKind = 'response' | 'rule_change' | 'progress_update' | 'report';
export type ReportEntryFields = components['schemas']['LedgerReportFields'];

/** isReportEntry tells a close-out report's entry from the other kinds. */
export function isReportEntry(f: LedgerEntry['fields']): f is ReportEntryFields {
  return 'kind' in f && f.kind === 'report';
}

/** isProgressEntry tells a progress update's fields from a response's (which carry no kind). */
export function isProgressEntry(f: LedgerEntry['fields']): f is ProgressEntryFields {
  return 'kind' in f && f.kind === 'progress_update';
}
export type ResponseRendered = components['schemas']['LedgerResponseRendered'];
export type ProgressRendered = components['schemas']['LedgerProgressRendered'];

/** responseRendered is a response entry's rendered reasoning and resolved covers, if the entry has them. */
export function responseRendered(r: LedgerEntry['rendered']): ResponseRendered | null {
  return r != null && 'reasoning_html' in r ? r : null;
}

/** progressRendered is a progress update entry's rendered texts, if the entry has them. */
export function progressRendered(r: LedgerEntry['rendered']): ProgressRendered | null {
  return r != null && 'progress_html' in r ? r : null;
}
export type LedgerMember = components['schemas']['LedgerMember'];
export type LedgerPage = components['schemas']['LedgerPage'];
export type Checkpoint = components['schemas']['Checkpoint'];
export type LedgerVerification = components['schemas']['LedgerVerification'];
export type Coverage = components['schemas']['Coverage'];

/** rules lists the decision rules in the order the settings offer them. */
export const rules: SigningRule[] = ['single', 'joint', 'majority_each', 'qualified', 'consensus', 'equal_veto'];

/** isRuleChange tells a ledger entry recording a change of rule from a response's. */
export function isRuleChange(f: LedgerEntry['fields']): f is LedgerRuleChange {
  return 'kind' in f && f.kind === 'rule_change';
}

/** dispositions lists the dispositions in the order every picker and filter offers them. */
export const dispositions: Disposition[] = ['adopted', 'amended', 'merged', 'rejected', 'out_of_scope', 'noted'];

/** seats lists the forum's seats in the order the page shows them. */
export const seats: Seat[] = ['government', 'civil_society', 'other'];

/** UnansweredFilters narrow the list of unanswered contributions, as kept in the workspace's address. */
export interface UnansweredFilters {
  kind?: 'comment' | 'idea';
  documentId?: number;
  paragraphKey?: string;
  themeId?: number;
  clusterId?: number;
}

export const forumKeys = {
  forum: (slug: string, accountId: number | undefined) => ['forum', slug, accountId] as const,
  forums: (slug: string) => ['forum', slug] as const,
  // Everything the workspace lists for a process, refreshed together after a write.
  work: (slug: string) => ['forum-work', slug] as const,
  unanswered: (slug: string, f: UnansweredFilters) => ['forum-work', slug, 'unanswered', f] as const,
  clusters: (slug: string) => ['forum-work', slug, 'clusters'] as const,
  suggestions: (slug: string) => ['forum-work', slug, 'suggestions'] as const,
  drafts: (slug: string) => ['forum-work', slug, 'drafts'] as const,
  coverage: (slug: string) => ['forum-work', slug, 'coverage'] as const,
  cluster: (id: number) => ['cluster', id] as const,
  clusterAll: ['cluster'] as const,
  response: (id: number) => ['response', id] as const,
  ledger: (slug: string, disposition: Disposition | undefined, kind?: LedgerKind) => ['ledger', slug, disposition ?? null, kind ?? null] as const,
  ledgers: (slug: string) => ['ledger', slug] as const,
  verify: (slug: string) => ['ledger-verify', slug] as const,
  terms: (slug: string, accountId: number | undefined) => ['forum', slug, 'terms', accountId] as const,
  frequency: (slug: string) => ['forum', slug, 'frequency'] as const,
};

// Public reads may come from the browser's cache for a few seconds; after a
// write in the forum, this tab reads past it (see lib/freshness.ts).
const forumScope = (slug: string) => `forum-${slug}`;

/** useForum loads a process's forum: members, seats, rule, target and what the caller may do. */
export function useForum(slug: string, account: Account | null, enabled = true) {
  return useQuery({
    queryKey: forumKeys.forum(slug, account?.id),
    enabled: enabled && slug !== '',
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum', { params: { path: { slug } }, cache: cacheMode(forumScope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useForumTerms loads the forum's terms of reference and its members, current and past, with their declarations. */
export function useForumTerms(slug: string, account: Account | null) {
  return useQuery({
    queryKey: forumKeys.terms(slug, account?.id),
    enabled: slug !== '',
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/terms', { params: { path: { slug } }, cache: cacheMode(forumScope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useMeetingFrequency loads how many times the forum met, quarter by quarter, against its target. */
export function useMeetingFrequency(slug: string) {
  return useQuery({
    queryKey: forumKeys.frequency(slug),
    enabled: slug !== '',
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/meetings/frequency', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useUnanswered pages through the published contributions that no response answers yet, oldest first. */
export function useUnanswered(slug: string, f: UnansweredFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: forumKeys.unanswered(slug, f),
    enabled,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/unanswered', {
        params: {
          path: { slug },
          query: {
            kind: f.kind,
            document_id: f.documentId,
            paragraph_key: f.paragraphKey,
            theme_id: f.themeId,
            cluster_id: f.clusterId,
            limit: 50,
            cursor: pageParam,
          },
        },
        cache: 'no-store',
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useClusters lists a process's clusters, newest first. */
export function useClusters(slug: string, enabled = true) {
  return useQuery({
    queryKey: forumKeys.clusters(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/clusters', { params: { path: { slug } }, cache: cacheMode(forumScope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useClusterSuggestions lists the groups of near-duplicate contributions the forum has not yet grouped or dismissed. */
export function useClusterSuggestions(slug: string, enabled = true) {
  return useQuery({
    queryKey: forumKeys.suggestions(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/suggestions', { params: { path: { slug } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useCluster loads one cluster with its published members. */
export function useCluster(id: number) {
  return useQuery({
    queryKey: forumKeys.cluster(id),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/clusters/{clusterID}', { params: { path: { clusterID: id } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useDraftResponses lists the forum's draft responses, newest first. */
export function useDraftResponses(slug: string, enabled = true) {
  return useQuery({
    queryKey: forumKeys.drafts(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/forum/responses', { params: { path: { slug } }, cache: 'no-store' });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/**
 * useResponse loads one response, cached per id: every comment a response
 * answered shares one request. Drafts are read past the browser's cache.
 */
export function useResponse(id: number | null, accountId?: number) {
  return useQuery({
    queryKey: [...forumKeys.response(id ?? 0), accountId],
    enabled: id != null,
    staleTime: 60_000,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/responses/{responseID}', {
        params: { path: { responseID: id ?? 0 } },
        cache: accountId !== undefined ? 'no-store' : 'default',
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useLedger pages through a process's ledger, newest entry first, optionally of one disposition. */
export function useLedger(slug: string, disposition: Disposition | undefined, kind?: LedgerKind) {
  return useInfiniteQuery({
    queryKey: forumKeys.ledger(slug, disposition, kind),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ledger', {
        params: { path: { slug }, query: { disposition, kind, limit: 20, cursor: pageParam } },
        cache: cacheMode(forumScope(slug)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** useLedgerVerification has the server recompute the ledger's chain and check its latest checkpoint. */
export function useLedgerVerification(slug: string) {
  return useQuery({
    queryKey: forumKeys.verify(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/ledger/verify', { params: { path: { slug } }, cache: cacheMode(forumScope(slug)) });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useCoverage loads how many contributions have a published response, and how old the others are. */
export function useCoverage(slug: string, enabled = true) {
  return useQuery({
    queryKey: forumKeys.coverage(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/coverage', {
        params: { path: { slug }, query: { format: 'json' } },
        cache: cacheMode(forumScope(slug)),
      });
      if (error || !data) throw toAppError(error, response.status);
      return data as Coverage;
    },
  });
}

/** refreshForum refetches what a write in the forum changes: the workspace's lists, responses, clusters and the ledger. */
export function refreshForum(client: QueryClient, slug: string) {
  noteWrite(forumScope(slug));
  return Promise.all([
    client.invalidateQueries({ queryKey: forumKeys.work(slug) }),
    client.invalidateQueries({ queryKey: forumKeys.clusterAll }),
    client.invalidateQueries({ queryKey: forumKeys.ledgers(slug) }),
    client.invalidateQueries({ queryKey: forumKeys.verify(slug) }),
    client.invalidateQueries({ queryKey: forumKeys.forums(slug) }),
  ]);
}

/** useParagraphs loads the paragraphs of a draft's latest version, to choose one in a filter or a cover (once a draft is chosen). */
export function useParagraphs(documentId: number | undefined) {
  return useQuery({
    queryKey: ['version', documentId ?? 0, 'latest'] as const,
    enabled: documentId !== undefined,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/documents/{documentID}/versions/{number}', {
        params: { path: { documentID: documentId ?? 0, number: 'latest' } },
      });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    select: (v) => v.blocks.filter((b) => b.kind !== 'heading' || b.text !== ''),
  });
}
