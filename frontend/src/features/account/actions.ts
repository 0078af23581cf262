import { api, toAppError } from '../../api/client';
import { clearSession, setAccount, setSession } from '../../api/session';

/** signIn logs in and keeps the session in memory. */
export async function signIn(email: string, password: string) {
  const { data, error, response } = await api.POST('/api/v1/auth/login', { body: { email, password } });
  if (error || !data) throw toAppError(error, response.status);
  setSession(data);
}

/** signOut ends the session on the server and in this tab. */
export async function signOut() {
  await api.POST('/api/v1/auth/logout', {});
  clearSession();
}

/** signUp creates an account; the address is confirmed by the e-mailed link. */
export async function signUp(email: string, displayName: string, password: string) {
  const { error, response } = await api.POST('/api/v1/auth/signup', { body: { email, display_name: displayName, password } });
  if (error) throw toAppError(error, response.status);
}

/** verifyEmail confirms an address with the e-mailed token. */
export async function verifyEmail(token: string) {
  const { error, response } = await api.POST('/api/v1/auth/verify-email', { body: { token } });
  if (error) throw toAppError(error, response.status);
}

/** requestReset asks for a password-reset e-mail. */
export async function requestReset(email: string) {
  const { error, response } = await api.POST('/api/v1/auth/password-reset', { body: { email } });
  if (error) throw toAppError(error, response.status);
}

/** confirmReset sets a new password with the e-mailed token. */
export async function confirmReset(token: string, password: string) {
  const { error, response } = await api.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } });
  if (error) throw toAppError(error, response.status);
}

/** changeName sets the display name. */
export async function changeName(displayName: string) {
  const { data, error, response } = await api.PATCH('/api/v1/me', { body: { display_name: displayName } });
  if (error || !data) throw toAppError(error, response.status);
  setAccount(data);
}

/** changePassword replaces the password; every session ends. */
export async function changePassword(current: string, next: string) {
  const { error, response } = await api.PUT('/api/v1/me/password', { body: { current_password: current, new_password: next } });
  if (error) throw toAppError(error, response.status);
  clearSession();
}

/** resendVerification sends a new confirmation link. */
export async function resendVerification() {
  const { error, response } = await api.POST('/api/v1/me/verification-email', {});
  if (error) throw toAppError(error, response.status);
}

/** deleteAccount erases the account; every session ends. */
export async function deleteAccount(password: string) {
  const { error, response } = await api.DELETE('/api/v1/me', { body: { password } });
  if (error) throw toAppError(error, response.status);
  clearSession();
}
