// Sending a file with a progress indicator. fetch cannot report how much of a
// request body has gone, so uploads use XMLHttpRequest, with the same access
// token, session refresh and error envelope as the API client.
import { toAppError } from '../../api/client';
import { getAccessToken, refreshSession } from '../../api/session';

/** UploadProgress is how much of the body has been sent. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

function sendOnce(url: string, form: FormData, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    const token = getAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      const headers = new Headers();
      const wait = xhr.getResponseHeader('Retry-After');
      if (wait) headers.set('Retry-After', wait);
      resolve({ status: xhr.status, body, headers });
    };
    // As fetch does: a network failure is a TypeError (errorText says "network").
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('The upload was cancelled.', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/**
 * uploadForm posts a multipart form to an API path and returns the JSON
 * answer, reporting progress as the body goes; a refused upload throws the
 * AppError of its envelope. An expired access token is refreshed once and
 * the form sent again, as the API client does.
 */
export async function uploadForm<T>(path: string, form: FormData, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  const url = `${typeof location !== 'undefined' ? location.origin : ''}${path}`;
  let answer = await sendOnce(url, form, onProgress, signal);
  if (answer.status === 401 && getAccessToken() && (await refreshSession())) {
    answer = await sendOnce(url, form, onProgress, signal);
  }
  if (answer.status < 200 || answer.status >= 300) throw toAppError(answer.body, answer.status, answer.headers);
  return answer.body as T;
}
