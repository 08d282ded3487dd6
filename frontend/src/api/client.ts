import type { AuthResponse, Lang, User } from './types';

export type FieldErrors = Record<string, string[]>;

/** Every failed API call rejects with this error (the server's error shape plus the HTTP status). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  /** Seconds from the Retry-After header (429), if any. */
  readonly retryAfter: number | null;
  /** Machine-readable facts about the error (e.g. `{used, limit}` of a seat-limit conflict). */
  readonly details: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldErrors = {},
    retryAfter: number | null = null,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** A downloaded file: its content and the name the server suggested (Content-Disposition). */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

/** The file name from a Content-Disposition header (RFC 6266 `filename*` wins over `filename`). */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall back to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  if (!plain) return null;
  const name = (plain[2] ?? plain[1]).trim();
  return name || null;
}

export interface Session {
  access: string;
  user: User;
}

export type SessionListener = (session: Session | null) => void;

export interface RequestOptions {
  method?: string;
  /** JSON body. */
  body?: unknown;
  /** Multipart body; takes precedence over `body`. */
  form?: FormData;
  query?: Record<string, string | number | null | undefined>;
  /** Send the Authorization header (default true). */
  auth?: boolean;
  /** On a 401, refresh the session and retry once (default true). */
  refreshOn401?: boolean;
  signal?: AbortSignal;
  /** Let the request outlive the page (progress heartbeats sent while the tab is closing). */
  keepalive?: boolean;
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Seconds before `exp` at which a scheduled refresh happens (upper bound). */
  refreshLeadSeconds?: number;
}

type RefreshOutcome = { kind: 'ok'; session: Session } | { kind: 'rejected' } | { kind: 'network' };

const REFRESH_PATH = '/api/auth/refresh/';
const NETWORK_RETRY_MS = 15_000;
const MIN_REFRESH_DELAY_MS = 5_000;

/** Reads the `exp` claim (seconds since epoch) from a JWT without verifying it. */
export function decodeJwtExp(token: string): number | null {
  const parts = token.split('.');
  if (parts.length < 2) return null;
  try {
    let payload = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    while (payload.length % 4 !== 0) payload += '=';
    const data: unknown = JSON.parse(atob(payload));
    if (data && typeof data === 'object' && 'exp' in data) {
      const exp = (data as { exp: unknown }).exp;
      return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
    }
  } catch {
    // Malformed token: no scheduling, the 401 path still recovers.
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normaliseFields(raw: unknown): FieldErrors {
  const fields: FieldErrors = {};
  if (!isRecord(raw)) return fields;
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) fields[key] = value.map(String);
    else if (value !== null && value !== undefined) fields[key] = [String(value)];
  }
  return fields;
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns a non-2xx response into an ApiError following the `{"error": {...}}` contract. */
export async function parseErrorResponse(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let payload: unknown = null;
  try {
    const text = await response.text();
    payload = text ? JSON.parse(text) : null;
  } catch {
    payload = null;
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  if (error) {
    const code = typeof error.code === 'string' && error.code ? error.code : `http_${response.status}`;
    const message = typeof error.message === 'string' ? error.message : '';
    const details = isRecord(error.details) ? error.details : {};
    return new ApiError(response.status, code, message, normaliseFields(error.fields), retryAfter, details);
  }
  return new ApiError(response.status, `http_${response.status}`, '', {}, retryAfter);
}

/**
 * Fetch wrapper holding the access token in memory only. The refresh token
 * lives in an HttpOnly cookie, so refreshing is a credentialed POST.
 */
export class ApiClient {
  language: Lang = 'ru';

  private access: string | null = null;
  private user: User | null = null;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly refreshLeadMs: number;
  private readonly listeners = new Set<SessionListener>();
  private inflightRefresh: Promise<RefreshOutcome> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.refreshLeadMs = (options.refreshLeadSeconds ?? 60) * 1000;
  }

  get session(): Session | null {
    return this.access && this.user ? { access: this.access, user: this.user } : null;
  }

  get isAuthenticated(): boolean {
    return this.access !== null;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stores a fresh session (login, invitation accept, password reset, refresh). */
  setSession(auth: AuthResponse): Session {
    this.access = auth.access;
    this.user = auth.user;
    this.scheduleRefresh(auth.access);
    const session = { access: auth.access, user: auth.user };
    this.emit(session);
    return session;
  }

  clearSession(): void {
    const hadSession = this.access !== null || this.user !== null;
    this.access = null;
    this.user = null;
    this.cancelScheduledRefresh();
    if (hadSession) this.emit(null);
  }

  /** Restores/renews the session from the refresh cookie. Concurrent callers share one request. */
  async refresh(): Promise<Session | null> {
    const outcome = await this.refreshOnce();
    return outcome.kind === 'ok' ? outcome.session : null;
  }

  /**
   * Ends the session. Resolves with the URL the browser must visit to end the identity provider's
   * session too (`sso_logout_url`: SAML single logout or OIDC end-session), or null.
   */
  async logout(): Promise<string | null> {
    try {
      const answer = await this.request<{ sso_logout_url?: unknown } | undefined>('/api/auth/logout/', {
        method: 'POST',
        refreshOn401: false,
      });
      const url = answer?.sso_logout_url;
      return typeof url === 'string' && url ? url : null;
    } catch {
      // The local session is dropped whatever the server says.
      return null;
    } finally {
      this.clearSession();
    }
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { refreshOn401 = true } = options;
    const response = await this.send(path, options);
    if (response.status === 401 && refreshOn401) {
      const outcome = await this.refreshOnce();
      if (outcome.kind === 'ok') {
        const retried = await this.send(path, options);
        return this.handle<T>(retried);
      }
    }
    return this.handle<T>(response);
  }

  get<T>(path: string, options: Omit<RequestOptions, 'method' | 'body' | 'form'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'GET' });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'POST', body });
  }

  patch<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PATCH', body });
  }

  put<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PUT', body });
  }

  /** GET of a binary resource (e.g. a certificate PDF) with the same auth/refresh handling. */
  async getBlob(path: string, options: Omit<RequestOptions, 'method' | 'body' | 'form'> = {}): Promise<Blob> {
    return (await this.download(path, options)).blob;
  }

  /** Like getBlob, plus the file name from Content-Disposition (reports, exports). */
  async download(path: string, options: Omit<RequestOptions, 'method' | 'body' | 'form'> = {}): Promise<DownloadedFile> {
    const { refreshOn401 = true } = options;
    let response = await this.send(path, { ...options, method: 'GET' }, '*/*');
    if (response.status === 401 && refreshOn401) {
      const outcome = await this.refreshOnce();
      if (outcome.kind === 'ok') response = await this.send(path, { ...options, method: 'GET' }, '*/*');
    }
    if (!response.ok) throw await parseErrorResponse(response);
    const blob = await response.blob();
    return { blob, filename: filenameFromDisposition(response.headers.get('Content-Disposition')) };
  }

  delete<T = void>(path: string, options: Omit<RequestOptions, 'method' | 'body' | 'form'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'DELETE' });
  }

  private emit(session: Session | null): void {
    for (const listener of [...this.listeners]) listener(session);
  }

  private url(path: string, query?: RequestOptions['query']): string {
    let url = this.baseUrl + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
      }
      const qs = params.toString();
      if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    }
    return url;
  }

  private baseHeaders(): Record<string, string> {
    return { Accept: 'application/json', 'Accept-Language': this.language };
  }

  private async send(path: string, options: RequestOptions, accept?: string): Promise<Response> {
    const headers = this.baseHeaders();
    if (accept) headers.Accept = accept;
    if (options.auth !== false && this.access) headers.Authorization = `Bearer ${this.access}`;
    let body: BodyInit | undefined;
    if (options.form) {
      body = options.form; // the browser sets the multipart boundary
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    try {
      return await this.fetchImpl(this.url(path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        credentials: 'include',
        signal: options.signal,
        ...(options.keepalive ? { keepalive: true } : {}),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      if (err instanceof Error && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', '');
    }
  }

  private async handle<T>(response: Response): Promise<T> {
    if (!response.ok) throw await parseErrorResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'invalid_response', '');
    }
  }

  private refreshOnce(): Promise<RefreshOutcome> {
    if (!this.inflightRefresh) {
      this.inflightRefresh = this.doRefresh().finally(() => {
        this.inflightRefresh = null;
      });
    }
    return this.inflightRefresh;
  }

  private async doRefresh(): Promise<RefreshOutcome> {
    const accessAtStart = this.access;
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(REFRESH_PATH), {
        method: 'POST',
        headers: this.baseHeaders(),
        credentials: 'include',
      });
    } catch {
      return { kind: 'network' };
    }
    if (response.ok) {
      try {
        const data = (await response.json()) as AuthResponse;
        if (data && typeof data.access === 'string' && data.user) {
          return { kind: 'ok', session: this.setSession(data) };
        }
      } catch {
        // fall through: treat an unreadable body as a rejected refresh
      }
    }
    // Do not wipe a session that was established while this refresh was in flight.
    if (this.access === accessAtStart) this.clearSession();
    return { kind: 'rejected' };
  }

  private cancelScheduledRefresh(): void {
    if (this.refreshTimer !== null) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    }
  }

  private scheduleRefresh(access: string): void {
    this.cancelScheduledRefresh();
    const exp = decodeJwtExp(access);
    if (exp === null) return;
    const remaining = exp * 1000 - Date.now();
    // Refresh a minute early, or a fifth of the lifetime early for short-lived tokens.
    const lead = Math.min(this.refreshLeadMs, Math.max(0, remaining) / 5);
    const delay = Math.max(MIN_REFRESH_DELAY_MS, remaining - lead);
    this.startTimer(delay);
  }

  private startTimer(delay: number): void {
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshOnce().then((outcome) => {
        // A network hiccup keeps the session and tries again a little later.
        if (outcome.kind === 'network' && this.access !== null) this.startTimer(NETWORK_RETRY_MS);
      });
    }, delay);
  }
}

/** The application's shared client. */
export const api = new ApiClient();
