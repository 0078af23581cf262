// Sending a file with its upload progress: fetch cannot report how much of a
// request body has gone, XMLHttpRequest can. Same authorisation as the API
// client: the access token, and on a 401 one refresh of the session and one
// more try (the file is still in hand, so it can be sent again).
import { AppError, toAppError } from '../api/client';
import { getAccessToken, refreshSession } from '../api/session';

/** Progress is how much of the request body has been sent. */
export interface Progress {
  loaded: number;
  total: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

function send(url: string, form: FormData, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    const token = getAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null; // not JSON (a proxy's error page): the status speaks
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader('Retry-After');
      if (retry) headers.set('Retry-After', retry);
      resolve({ status: xhr.status, body, headers });
    };
    xhr.onerror = () => reject(new AppError('network', 0));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/**
 * postForm sends a multipart form to an API path (from /api/v1/...) and
 * returns the JSON answer of a 2xx, or throws its AppError.
 */
export async function postForm<T>(path: string, form: FormData, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<T> {
  const url = `${typeof location !== 'undefined' ? location.origin : ''}${path}`;
  let answer = await send(url, form, onProgress, signal);
  if (answer.status === 401 && getAccessToken() && (await refreshSession())) {
    answer = await send(url, form, onProgress, signal);
  }
  if (answer.status < 200 || answer.status >= 300) throw toAppError(answer.body, answer.status, answer.headers);
  return answer.body as T;
}
