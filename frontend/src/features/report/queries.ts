import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';
import { useSubmitter } from '../../lib/idempotency';

export type CloseOutReport = components['schemas']['CloseOutReport'];
export type ReportCell = components['schemas']['ReportCell'];
export type ReportSummary = components['schemas']['ReportSummary'];
export type PublishedReport = components['schemas']['PublishedReport'];
export type ReportInput = components['schemas']['ReportInput'];
export type ProcessAnalytics = components['schemas']['ProcessAnalytics'];

export const reportKeys = {
  list: (slug: string) => ['reports', slug] as const,
  one: (slug: string, number: number) => ['reports', slug, number] as const,
  preview: (slug: string, phase: string, representative: string) => ['report-preview', slug, phase, representative] as const,
  analytics: (slug: string) => ['analytics', slug] as const,
};

/** useAnalytics loads the team's live figures (owners, moderators, forum members). */
export function useAnalytics(slug: string) {
  return useQuery({
    queryKey: reportKeys.analytics(slug),
    retry: false,
    refetchOnWindowFocus: false,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/analytics', reportsPath(slug));
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
  });
}

/** reportPath is the API path of a process's reports. */
const reportsPath = (slug: string) => ({ params: { path: { slug } } });

/** useReports lists a process's published reports, newest first. */
export function useReports(slug: string) {
  return useQuery({
    queryKey: reportKeys.list(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/reports', reportsPath(slug));
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data.reports;
    },
  });
}

/** useReport loads one published report with its content (number 0 waits). */
export function useReport(slug: string, number: number) {
  return useQuery({
    queryKey: reportKeys.one(slug, number),
    enabled: number > 0,
    staleTime: 5 * 60_000, // a published report never changes; only superseded_by may appear
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/reports/{number}', { params: { path: { slug, number } } });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
  });
}

/**
 * useReportPreview computes the report as it would be published now (owners
 * only); it runs when enabled, once per scope and choice of quotes.
 */
export function useReportPreview(slug: string, phase: string, representative: string, enabled: boolean) {
  return useQuery({
    queryKey: reportKeys.preview(slug, phase, representative),
    enabled,
    retry: false,
    staleTime: 0,
    refetchOnWindowFocus: false, // a large process takes seconds: recompute when asked, not on every focus
    queryFn: async () => {
      const query: { phase?: string; representative?: string } = {};
      if (phase) query.phase = phase;
      if (representative) query.representative = representative;
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/reports/preview', { params: { path: { slug }, query } });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
  });
}

/** usePublishReport publishes the report, frozen; a retry after a failure sends the same Idempotency-Key. */
export function usePublishReport(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  return useMutation({
    mutationFn: (input: ReportInput) =>
      submit(`POST /processes/${slug}/reports ${JSON.stringify(input)}`, async (key): Promise<PublishedReport> => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/reports', {
          params: { path: { slug }, header: { 'Idempotency-Key': key } },
          body: input,
        });
        if (error || !data) throw toAppError(error, response.status, response.headers);
        return data;
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', slug] }),
  });
}

/** exportHref is the open-data download of a published report. */
export function exportHref(slug: string, number: number, format: 'json' | 'csv'): string {
  return `/api/v1/processes/${encodeURIComponent(slug)}/reports/${number}/export?format=${format}`;
}

/** parseRefs reads the representative contributions an owner typed: "comment:12, idea:3" or one per line. */
export function parseRefs(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
