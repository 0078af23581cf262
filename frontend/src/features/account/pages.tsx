import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorMessage, Loading, useDocumentTitle } from '../../components/status';
import { confirmReset, requestReset, signIn, signUp, verifyEmail } from './actions';
import { ErrorSummary, Field, SubmitButton, useSubmit } from '../../components/form';

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
  const form = useSubmit(async () => {
    await signIn(email, password);
    navigate(from);
  });
  return (
    <>
      <h1>{t('account.login.title')}</h1>
      {notice && <p role="status">{t(notice)}</p>}
      <form onSubmit={form.onSubmit} noValidate>
        <ErrorSummary error={form.error} summaryRef={form.summary} />
        <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={form.fieldError('email')} />
        <Field name="password" type="password" autoComplete="current-password" label={t('account.password')} value={password} onChange={setPassword} error={form.fieldError('password')} />
        <SubmitButton pending={form.pending}>{t('account.login.submit')}</SubmitButton>
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
  const [done, setDone] = useState(false);
  const form = useSubmit(async () => {
    await signUp(email, name, password);
    setDone(true);
  });
  if (done) {
    return (
      <>
        <h1>{t('account.signup.checkTitle')}</h1>
        <p role="status">{t('account.signup.checkBody', { email })}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('account.signup.title')}</h1>
      <form onSubmit={form.onSubmit} noValidate>
        <ErrorSummary error={form.error} summaryRef={form.summary} />
        <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={form.fieldError('email')} />
        <Field name="display_name" autoComplete="name" label={t('account.displayName')} hint={t('account.displayNameHint')} value={name} onChange={setName} error={form.fieldError('display_name')} />
        <Field name="password" type="password" autoComplete="new-password" label={t('account.password')} hint={t('account.passwordHint')} value={password} onChange={setPassword} error={form.fieldError('password')} />
        <SubmitButton pending={form.pending}>{t('account.signup.submit')}</SubmitButton>
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
  const [state, setState] = useState<'pending' | 'done' | unknown>('pending');
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return; // the token works once, even under StrictMode's double effects
    sent.current = true;
    verifyEmail(token).then(
      () => setState('done'),
      (err: unknown) => setState(err),
    );
  }, [token]);
  return (
    <>
      <h1>{t('account.verify.title')}</h1>
      {state === 'pending' && <Loading />}
      {state === 'done' && (
        <>
          <p role="status">{t('account.verify.done')}</p>
          <p>
            <Link to="/login">{t('account.login.title')}</Link>
          </p>
        </>
      )}
      {state !== 'pending' && state !== 'done' && <ErrorMessage error={state} />}
    </>
  );
}

/** ForgotPasswordPage asks for a reset link. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.forgot.title'));
  const [email, setEmail] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(async () => {
    await requestReset(email);
    setDone(true);
  });
  return (
    <>
      <h1>{t('account.forgot.title')}</h1>
      {done ? (
        <p role="status">{t('account.forgot.sent', { email })}</p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <ErrorSummary error={form.error} summaryRef={form.summary} />
          <Field name="email" type="email" autoComplete="email" label={t('account.email')} value={email} onChange={setEmail} error={form.fieldError('email')} />
          <SubmitButton pending={form.pending}>{t('account.forgot.submit')}</SubmitButton>
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
  const form = useSubmit(async () => {
    await confirmReset(token, password);
    navigate('/login', { state: { notice: 'account.reset.done' } });
  });
  return (
    <>
      <h1>{t('account.reset.title')}</h1>
      <form onSubmit={form.onSubmit} noValidate>
        <ErrorSummary error={form.error} summaryRef={form.summary} />
        <Field name="password" type="password" autoComplete="new-password" label={t('account.newPassword')} hint={t('account.passwordHint')} value={password} onChange={setPassword} error={form.fieldError('password')} />
        <SubmitButton pending={form.pending}>{t('account.reset.submit')}</SubmitButton>
      </form>
    </>
  );
}
