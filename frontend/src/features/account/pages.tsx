import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorSummary, Field, SubmitButton } from '../../components/form';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { fieldError, handleSubmit } from '../../lib/forms';
import { useConfirmReset, useRequestReset, useSignIn, useSignUp, useVerifyEmail } from './mutations';

/** LoginPage signs a person in. */
export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.login.title'));
  const navigate = useNavigate();
  const state = useLocation().state as { notice?: string; from?: string } | null;
  const notice = state?.notice;
  // Back to where the person was (a draft they wanted to comment on), never off-site.
  const from = state?.from && state.from.startsWith('/') && !state.from.startsWith('//') && !state.from.startsWith('/\\') ? state.from : '/';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  const send = () => signIn.mutate({ email, password }, { onSuccess: () => navigate(from) });
  return (
    <>
      <h1>{t('account.login.title')}</h1>
      {notice && <p role="status">{t(notice)}</p>}
      <form onSubmit={handleSubmit(send)} noValidate>
        <ErrorSummary error={signIn.error} />
        <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={fieldError(signIn.error, 'email')} />
        <Field name="password" type="password" autoComplete="current-password" label={t('account.password')} value={password} onChange={setPassword} error={fieldError(signIn.error, 'password')} />
        <SubmitButton pending={signIn.isPending}>{t('account.login.submit')}</SubmitButton>
      </form>
      <p>
        <Link to="/forgot-password">{t('account.login.forgot')}</Link>
      </p>
      <p>
        <Link to="/signup">{t('account.login.noAccount')}</Link>
      </p>
    </>
  );
}

/** SignUpPage creates an account. */
export function SignUpPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.signup.title'));
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const signUp = useSignUp();
  // The server answers alike whether or not the address has an account (so
  // the page cannot tell who has one); the e-mail it sends says which.
  if (signUp.isSuccess) {
    return (
      <>
        <h1>{t('account.signup.checkTitle')}</h1>
        <p role="status" className="user-text">{t('account.signup.checkBody', { email })}</p>
        <p>
          <Link to="/login">{t('account.signup.haveAccount')}</Link>
        </p>
      </>
    );
  }
  const error = signUp.error;
  return (
    <>
      <h1>{t('account.signup.title')}</h1>
      <form onSubmit={handleSubmit(() => signUp.mutate({ email, displayName: name, password }))} noValidate>
        <ErrorSummary error={error} />
        <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={fieldError(error, 'email')} />
        <Field name="display_name" autoComplete="name" label={t('account.displayName')} hint={t('account.displayNameHint')} value={name} onChange={setName} error={fieldError(error, 'display_name')} />
        <Field name="password" type="password" autoComplete="new-password" label={t('account.password')} hint={t('account.passwordHint')} value={password} onChange={setPassword} error={fieldError(error, 'password')} />
        <SubmitButton pending={signUp.isPending}>{t('account.signup.submit')}</SubmitButton>
      </form>
      <p>
        <Link to="/login">{t('account.signup.haveAccount')}</Link>
      </p>
    </>
  );
}

/** VerifyEmailPage confirms an address with the token from the e-mailed link. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.verify.title'));
  const token = useSearchParams()[0].get('token') ?? '';
  const { mutate: verify, isSuccess, isError, error } = useVerifyEmail();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return; // the token works once, even under StrictMode's double effects
    sent.current = true;
    verify(token);
  }, [token, verify]);
  return (
    <>
      <h1>{t('account.verify.title')}</h1>
      {!isSuccess && !isError && <Loading />}
      {isSuccess && (
        <>
          <p role="status">{t('account.verify.done')}</p>
          <p>
            <Link to="/login">{t('account.login.title')}</Link>
          </p>
        </>
      )}
      {isError && <ErrorMessage error={error} />}
    </>
  );
}

/** ForgotPasswordPage asks for a reset link. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.forgot.title'));
  const [email, setEmail] = useState('');
  const request = useRequestReset();
  return (
    <>
      <h1>{t('account.forgot.title')}</h1>
      {request.isSuccess ? (
        <p role="status" className="user-text">{t('account.forgot.sent', { email })}</p>
      ) : (
        <form onSubmit={handleSubmit(() => request.mutate(email))} noValidate>
          <ErrorSummary error={request.error} />
          <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={fieldError(request.error, 'email')} />
          <SubmitButton pending={request.isPending}>{t('account.forgot.submit')}</SubmitButton>
        </form>
      )}
    </>
  );
}

/** ResetPasswordPage sets a new password with the token from the e-mailed link. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.reset.title'));
  const navigate = useNavigate();
  const token = useSearchParams()[0].get('token') ?? '';
  const [password, setPassword] = useState('');
  const reset = useConfirmReset();
  const send = () => reset.mutate({ token, password }, { onSuccess: () => navigate('/login', { state: { notice: 'account.reset.done' } }) });
  return (
    <>
      <h1>{t('account.reset.title')}</h1>
      <form onSubmit={handleSubmit(send)} noValidate>
        <ErrorSummary error={reset.error} />
        <Field name="password" type="password" autoComplete="new-password" label={t('account.newPassword')} hint={t('account.passwordHint')} value={password} onChange={setPassword} error={fieldError(reset.error, 'password')} />
        <SubmitButton pending={reset.isPending}>{t('account.reset.submit')}</SubmitButton>
      </form>
    </>
  );
}
