// A stand-in for XMLHttpRequest in unit tests: it records what is sent, and
// the test reports upload progress and answers.
export class FakeXHR {
  static sent: FakeXHR[] = [];
  static onSend: (x: FakeXHR) => void = () => {};
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  body: FormData | null = null;
  requestHeaders: Record<string, string> = {};
  responseHeaders: Record<string, string> = {};

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.requestHeaders[k] = v;
  }
  getResponseHeader(k: string): string | null {
    return this.responseHeaders[k] ?? null;
  }
  abort() {
    this.onabort?.();
  }
  send(body: FormData) {
    this.body = body;
    FakeXHR.sent.push(this);
    FakeXHR.onSend(this);
  }
  /** progress reports loaded of total bytes sent. */
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  /** answer completes the request with a JSON body. */
  answer(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.();
  }
  /** last is the newest request sent, or null since the last reset. */
  static get last(): FakeXHR | null {
    return FakeXHR.sent.at(-1) ?? null;
  }
  static reset() {
    FakeXHR.sent = [];
    FakeXHR.onSend = () => {};
  }
}
