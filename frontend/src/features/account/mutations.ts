// Writes of the account and its session, as mutations. The session itself
// lives in api/session.ts; each mutation updates it once the server agreed.
import { useMutation } from '@tanstack/react-query';
import { api, toAppError } from '../../api/client';
import { clearSession, setAccount, setSession } from '../../api/session';

/** useSignIn logs in and keeps the session in memory. */
export function useSignIn() {
  return useMutation({
    mutationFn: async ({ email, password }: { email: string; password: string }) => {
      const { data, error, response } = await api.POST('/api/v1/auth/login', { body: { email, password } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    onSuccess: (session) => setSession(session),
  });
}

/** useSignOut ends the session on the server and in this tab. */
export function useSignOut() {
  return useMutation({
    mutationFn: async () => {
      await api.POST('/api/v1/auth/logout', {});
    },
    onSuccess: () => clearSession(),
  });
}

/** useSignUp creates an account; the address is confirmed by the e-mailed link. */
export function useSignUp() {
  return useMutation({
    mutationFn: async ({ email, displayName, password }: { email: string; displayName: string; password: string }) => {
      const { error, response } = await api.POST('/api/v1/auth/signup', { body: { email, display_name: displayName, password } });
      if (error) throw toAppError(error, response.status);
    },
  });
}

/** useVerifyEmail confirms an address with the e-mailed token. */
export function useVerifyEmail() {
  return useMutation({
    mutationFn: async (token: string) => {
      const { error, response } = await api.POST('/api/v1/auth/verify-email', { body: { token } });
      if (error) throw toAppError(error, response.status);
    },
  });
}

/** useRequestReset asks for a password-reset e-mail. */
export function useRequestReset() {
  return useMutation({
    mutationFn: async (email: string) => {
      const { error, response } = await api.POST('/api/v1/auth/password-reset', { body: { email } });
      if (error) throw toAppError(error, response.status);
    },
  });
}

/** useConfirmReset sets a new password with the e-mailed token. */
export function useConfirmReset() {
  return useMutation({
    mutationFn: async ({ token, password }: { token: string; password: string }) => {
      const { error, response } = await api.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } });
      if (error) throw toAppError(error, response.status);
    },
  });
}

/** useChangeName sets the display name. */
export function useChangeName() {
  return useMutation({
    mutationFn: async (displayName: string) => {
      const { data, error, response } = await api.PATCH('/api/v1/me', { body: { display_name: displayName } });
      if (error || !data) throw toAppError(error, response.status);
      return data;
    },
    onSuccess: (account) => setAccount(account),
  });
}

/** useChangePassword replaces the password; every session ends. */
export function useChangePassword() {
  return useMutation({
    mutationFn: async ({ current, next }: { current: string; next: string }) => {
      const { error, response } = await api.PUT('/api/v1/me/password', { body: { current_password: current, new_password: next } });
      if (error) throw toAppError(error, response.status);
    },
    onSuccess: () => clearSession(),
  });
}

/** useResendVerification sends a new confirmation link. */
export function useResendVerification() {
  return useMutation({
    mutationFn: async () => {
      const { error, response } = await api.POST('/api/v1/me/verification-email', {});
      if (error) throw toAppError(error, response.status);
    },
  });
}

/** useDeleteAccount erases the account; every session ends. */
export function useDeleteAccount() {
  return useMutation({
    mutationFn: async (password: string) => {
      const { error, response } = await api.DELETE('/api/v1/me', { body: { password } });
      if (error) throw toAppError(error, response.status);
    },
    onSuccess: () => clearSession(),
  });
}
