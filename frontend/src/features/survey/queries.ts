// Reads of the surveys of a process (feedback on the process): every phase's
// survey, the ones the signed-in person is invited to answer, one survey and
// its results.
import { useQuery } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import type { components } from '../../api/schema';

export type Survey = components['schemas']['Survey'];
export type SurveyQuestion = components['schemas']['SurveyQuestion'];
export type SurveyResults = components['schemas']['SurveyResults'];
export type SurveyAnswerInput = components['schemas']['SurveyAnswerInput'];
export type SurveyQuestionsInput = components['schemas']['SurveyQuestionsInput'];
export type QuestionKind = SurveyQuestion['kind'];

export const surveyKeys = {
  all: (slug: string) => ['surveys', slug] as const,
  list: (slug: string) => ['surveys', slug, 'list'] as const,
  invited: (slug: string) => ['surveys', slug, 'invited'] as const,
  one: (slug: string, phase: string) => ['surveys', slug, 'phase', phase] as const,
  results: (slug: string, phase: string) => ['surveys', slug, 'phase', phase, 'results'] as const,
};

/** useSurveys reads the survey of every phase of a process. */
export function useSurveys(slug: string) {
  return useQuery({
    queryKey: surveyKeys.list(slug),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/surveys', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useInvitedSurveys reads the open surveys the signed-in person took part in and has not answered. */
export function useInvitedSurveys(slug: string, enabled: boolean) {
  return useQuery({
    queryKey: surveyKeys.invited(slug),
    enabled,
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/surveys/invited', { params: { path: { slug } } });
      if (error || !data) throw toAppError(error, response.status);
      return data.items;
    },
  });
}

/** useSurvey reads one phase's survey. */
export function useSurvey(slug: string, phase: string) {
  return useQuery({
    queryKey: surveyKeys.one(slug, phase),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/surveys/{phase}', { params: { path: { slug, phase } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** useSurveyResults reads a survey's results (no figure under five answers). */
export function useSurveyResults(slug: string, phase: string) {
  return useQuery({
    queryKey: surveyKeys.results(slug, phase),
    queryFn: async () => {
      const { data, error, response } = await api.GET('/api/v1/processes/{slug}/surveys/{phase}/results', { params: { path: { slug, phase } } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
  });
}

/** promptOf is a question's prompt: the translated default while the owners have not edited the survey. */
export function promptOf(t: (key: string) => string, s: Pick<Survey, 'edited'>, q: Pick<SurveyQuestion, 'id' | 'prompt'>): string {
  return s.edited ? q.prompt : t(`survey.defaults.${q.id}`);
}
