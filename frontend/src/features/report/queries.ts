import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { AppError, api, toAppError } from '../../api/client';
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
  job: (slug: string, id: number) => ['report-job', slug, id] as const,
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

export type ReportJob = components['schemas']['ReportJob'];

/** ASYNC asks the server to make a report in the background and answer with its job (RFC 7240). */
const ASYNC = 'respond-async';

/** jobRunning says whether a report job is still to finish, so it is polled. */
export const jobRunning = (job: ReportJob | undefined) => job != null && (job.state === 'queued' || job.state === 'running');

/** useReportJob follows a report job (owners only), every half second while it runs; id 0 waits. */
export function useReportJob(slug: string, id: number) {
  return useQuery({
    queryKey: reportKeys.job(slug, id),
    enabled: id > 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchInterval: (q) => (jobRunning(q.state.data) ? 500 : false),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/report-jobs/{jobID}', { params: { path: { slug, jobID: id } } });
      if (error || !data) throw toAppError(error, response.status, response.headers);
      return data;
    },
  });
}

/**
 * useReportPreview computes the report as it would be published now (owners
 * only), in the background: it starts a job once per scope and choice of
 * quotes when enabled, then follows it. The answer is the job, whose preview
 * holds the report once it is done, and whose progress says how far it got.
 */
export function useReportPreview(slug: string, phase: string, representative: string, enabled: boolean) {
  const started = useQuery({
    queryKey: reportKeys.preview(slug, phase, representative),
    enabled,
    retry: false,
    staleTime: 0,
    refetchOnWindowFocus: false, // a large process takes seconds: recompute when asked, not on every focus
    queryFn: async (): Promise<ReportJob> => {
      const query: { phase?: string; representative?: string } = {};
      if (phase) query.phase = phase;
      if (representative) query.representative = representative;
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/reports/preview', {
        params: { path: { slug }, query, header: { Prefer: ASYNC } },
      });
      if (error || !data || response.status !== 202) throw toAppError(error, response.status, response.headers);
      return data as ReportJob;
    },
  });
  const job = useReportJob(slug, started.data?.id ?? 0);
  const current = job.data ?? started.data;
  const failed = current?.state === 'failed' ? jobError(current) : null;
  return {
    job: current,
    report: current?.state === 'done' ? current.preview : undefined,
    working: started.isFetching || jobRunning(current),
    error: started.error ?? job.error ?? failed,
  };
}

/**
 * usePublishReport publishes the report, frozen, in the background: the
 * answer is the job (a retry after a failure sends the same Idempotency-Key),
 * followed until it is done; job.report_number is then the published report.
 */
export function usePublishReport(slug: string) {
  const client = useQueryClient();
  const submit = useSubmitter();
  const start = useMutation({
    mutationFn: (input: ReportInput) =>
      submit(`POST /processes/${slug}/reports ${JSON.stringify(input)}`, async (key): Promise<ReportJob> => {
        const { data, error, response } = await api.POST('/api/v1/processes/{slug}/reports', {
          params: { path: { slug }, header: { 'Idempotency-Key': key, Prefer: ASYNC } },
          body: input,
        });
        if (error || !data || response.status !== 202) throw toAppError(error, response.status, response.headers);
        return data as ReportJob;
      }),
  });
  const job = useReportJob(slug, start.data?.id ?? 0);
  const current = job.data ?? start.data;
  const done = current?.state === 'done' && current.report_number != null;
  const doneNumber = done ? current.report_number : null;
  useEffect(() => {
    if (doneNumber != null) void client.invalidateQueries({ queryKey: ['reports', slug] });
  }, [client, slug, doneNumber]);
  const failed = current?.state === 'failed' ? jobError(current) : null;
  return {
    job: start.isIdle ? undefined : current,
    number: doneNumber,
    working: start.isPending || jobRunning(current),
    error: start.error ?? job.error ?? failed,
    mutate: start.mutate,
    reset: start.reset,
  };
}

/** jobError is a failed job's error as the web app shows errors. */
function jobError(job: ReportJob): AppError {
  return new AppError(job.error?.code ?? 'internal', 500);
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
