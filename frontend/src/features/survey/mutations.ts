// Writes of surveys: a participant's answer, an owner's questions.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { surveyKeys, type SurveyAnswerInput, type SurveyQuestionsInput } from './queries';

/**
 * useAnswerSurvey sends the signed-in person's answer to a phase's survey;
 * onDone runs once it is stored, before the reads refresh (the refreshed
 * invitations no longer hold this survey, so the form goes away, and a
 * callback given to mutate would no longer run).
 */
export function useAnswerSurvey(slug: string, phase: string, onDone: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SurveyAnswerInput) => {
      const { error, response } = await api.POST('/api/v1/processes/{slug}/surveys/{phase}/answers', { params: { path: { slug, phase } }, body });
      if (error) throw toAppError(error, response.status);
    },
    onSuccess: () => {
      onDone();
      return client.invalidateQueries({ queryKey: surveyKeys.all(slug) });
    },
  });
}

/** useSaveSurveyQuestions replaces a survey's questions (owners, until the first answer). */
export function useSaveSurveyQuestions(slug: string, phase: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SurveyQuestionsInput) => {
      const { data, error, response } = await api.PUT('/api/v1/processes/{slug}/surveys/{phase}/questions', { params: { path: { slug, phase } }, body });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: surveyKeys.all(slug) }),
  });
}
