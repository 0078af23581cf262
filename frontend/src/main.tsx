import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { mayHaveSession, refreshSession } from './api/session';
import './i18n';
import './styles.css';

// A reload keeps the person signed in: the refresh cookie buys a new access
// token before the first render (a failed attempt just means signed out). A
// visitor who never signed in is not asked: no refresh, no 401.
void (mayHaveSession() ? refreshSession() : Promise.resolve(false)).finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
