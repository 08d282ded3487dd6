import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, makeJwt, makeUser } from '../test/utils';
import { ApiClient, ApiError, decodeJwtExp, parseErrorResponse } from './client';

type Call = { url: string; init: RequestInit };

function headersOf(call: Call): Record<string, string> {
  return call.init.headers as Record<string, string>;
}

function setup(responder: (url: string, init: RequestInit, calls: Call[]) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return responder(url, init, calls);
  });
  const client = new ApiClient({ fetchImpl: fetchImpl as unknown as typeof fetch });
  return { client, calls, fetchImpl };
}

const future = () => Math.floor(Date.now() / 1000) + 3600;

describe('ApiClient', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends bearer token, credentials and Accept-Language', async () => {
    const { client, calls } = setup(() => jsonResponse(200, { ok: true }));
    client.language = 'en';
    client.setSession({ access: 'tok-1', user: makeUser() });

    await expect(client.get('/api/me/')).resolves.toEqual({ ok: true });

    expect(calls).toHaveLength(1);
    expect(calls[0].init.credentials).toBe('include');
    expect(headersOf(calls[0]).Authorization).toBe('Bearer tok-1');
    expect(headersOf(calls[0])['Accept-Language']).toBe('en');
  });

  it('on 401 refreshes once and retries the request with the new token', async () => {
    const newAccess = makeJwt(future());
    const { client, calls } = setup((url, init) => {
      if (url === '/api/auth/refresh/') return jsonResponse(200, { access: newAccess, user: makeUser() });
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === `Bearer ${newAccess}`
        ? jsonResponse(200, { id: 1 })
        : errorResponse(401, 'token_not_valid', 'Expired');
    });
    client.setSession({ access: 'stale', user: makeUser() });

    await expect(client.get('/api/me/')).resolves.toEqual({ id: 1 });

    expect(calls.map((c) => c.url)).toEqual(['/api/me/', '/api/auth/refresh/', '/api/me/']);
    expect(calls[1].init.method).toBe('POST');
    expect(calls[1].init.credentials).toBe('include');
    expect(headersOf(calls[2]).Authorization).toBe(`Bearer ${newAccess}`);
    expect(client.session?.access).toBe(newAccess);
  });

  it('retries only once: a second 401 is returned to the caller', async () => {
    const { client, calls } = setup((url) =>
      url === '/api/auth/refresh/'
        ? jsonResponse(200, { access: makeJwt(future()), user: makeUser() })
        : errorResponse(401, 'not_authenticated', 'Nope'),
    );
    client.setSession({ access: 'stale', user: makeUser() });

    const error = await client.get('/api/me/').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(calls.filter((c) => c.url === '/api/auth/refresh/')).toHaveLength(1);
    expect(calls.filter((c) => c.url === '/api/me/')).toHaveLength(2);
  });

  it('logs out when the refresh fails', async () => {
    const { client, calls } = setup((url) =>
      url === '/api/auth/refresh/'
        ? errorResponse(401, 'token_not_valid', 'Refresh expired')
        : errorResponse(401, 'token_not_valid', 'Access expired'),
    );
    const listener = vi.fn();
    client.setSession({ access: 'stale', user: makeUser() });
    client.subscribe(listener);

    const error = (await client.get('/api/me/').catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(401);
    expect(error.message).toBe('Access expired');
    expect(client.session).toBeNull();
    expect(client.isAuthenticated).toBe(false);
    expect(listener).toHaveBeenLastCalledWith(null);
    expect(calls.map((c) => c.url)).toEqual(['/api/me/', '/api/auth/refresh/']);
  });

  it('shares one refresh between concurrent 401s', async () => {
    const newAccess = makeJwt(future());
    const { client, calls } = setup((url, init) => {
      if (url === '/api/auth/refresh/') return jsonResponse(200, { access: newAccess, user: makeUser() });
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === `Bearer ${newAccess}` ? jsonResponse(200, { url }) : errorResponse(401, 'expired', 'x');
    });
    client.setSession({ access: 'stale', user: makeUser() });

    const results = await Promise.all([client.get('/api/a/'), client.get('/api/b/'), client.get('/api/c/')]);

    expect(results).toEqual([{ url: '/api/a/' }, { url: '/api/b/' }, { url: '/api/c/' }]);
    expect(calls.filter((c) => c.url === '/api/auth/refresh/')).toHaveLength(1);
  });

  it('does not refresh for requests that opt out (e.g. login)', async () => {
    const { client, calls } = setup(() => errorResponse(401, 'invalid_credentials', 'Wrong e-mail or password'));

    const error = (await client
      .post('/api/auth/token/', { email: 'a@b.c', password: 'x' }, { refreshOn401: false, auth: false })
      .catch((e: unknown) => e)) as ApiError;

    expect(error.code).toBe('invalid_credentials');
    expect(calls).toHaveLength(1);
  });

  it('keeps the access token out of localStorage and sessionStorage', async () => {
    const access = makeJwt(future(), { user_id: 7 });
    const { client } = setup((url) =>
      url === '/api/auth/refresh/' ? jsonResponse(200, { access, user: makeUser() }) : jsonResponse(200, {}),
    );

    await client.refresh();
    client.setSession({ access, user: makeUser() });
    await client.get('/api/me/');

    expect(client.session?.access).toBe(access);
    for (const storage of [window.localStorage, window.sessionStorage]) {
      for (let i = 0; i < storage.length; i += 1) {
        const key = storage.key(i)!;
        expect(storage.getItem(key)).not.toContain(access);
      }
    }
    expect(document.cookie).not.toContain(access);
  });

  it('sends JSON bodies with a content type and multipart bodies without one', async () => {
    const { client, calls } = setup(() => jsonResponse(200, {}));
    await client.post('/api/x/', { a: 1 });
    const form = new FormData();
    form.append('display_name', 'Acme');
    await client.request('/api/y/', { method: 'PATCH', form });

    expect(calls[0].init.body).toBe('{"a":1}');
    expect(headersOf(calls[0])['Content-Type']).toBe('application/json');
    expect(calls[1].init.body).toBe(form);
    expect(headersOf(calls[1])['Content-Type']).toBeUndefined();
  });

  it('builds query strings and returns undefined for 204', async () => {
    const { client, calls } = setup(() => new Response(null, { status: 204 }));
    await expect(client.delete('/api/t/', { query: { search: 'a b', page: 2, empty: '' } })).resolves.toBeUndefined();
    expect(calls[0].url).toBe('/api/t/?search=a+b&page=2');
  });

  it('schedules a silent refresh shortly before the token expires', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    const now = Math.floor(Date.now() / 1000);
    const renewed = makeJwt(now + 600);
    const { client, calls } = setup(() => jsonResponse(200, { access: renewed, user: makeUser() }));

    client.setSession({ access: makeJwt(now + 300), user: makeUser() });
    await vi.advanceTimersByTimeAsync(239_000);
    expect(calls).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(2_000); // 60 s before exp
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/refresh/']);
    expect(client.session?.access).toBe(renewed);

    client.clearSession();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(calls).toHaveLength(1);
  });

  it('wraps network failures in an ApiError', async () => {
    const { client } = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await client.get('/api/me/').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('network_error');
    expect(error.status).toBe(0);
  });
});

describe('parseErrorResponse', () => {
  it('reads code, message and fields from the error envelope', async () => {
    const error = await parseErrorResponse(
      errorResponse(400, 'validation_error', 'Check the form', { slug: ['Taken', 'Too short'], seats: ['Bad'] }),
    );
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'Check the form',
      fields: { slug: ['Taken', 'Too short'], seats: ['Bad'] },
      retryAfter: null,
    });
  });

  it('parses Retry-After on 429', async () => {
    const error = await parseErrorResponse(errorResponse(429, 'throttled', 'Slow down', undefined, { 'Retry-After': '42' }));
    expect(error.code).toBe('throttled');
    expect(error.retryAfter).toBe(42);
  });

  it('falls back to http_<status> for bodies that are not the envelope', async () => {
    const html = new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    const error = await parseErrorResponse(html);
    expect(error).toMatchObject({ status: 502, code: 'http_502', message: '', fields: {} });
  });
});

describe('decodeJwtExp', () => {
  it('reads exp from a base64url payload', () => {
    expect(decodeJwtExp(makeJwt(1_900_000_000, { name: 'Ünïcode?>' }))).toBe(1_900_000_000);
  });

  it('returns null for garbage', () => {
    expect(decodeJwtExp('not-a-jwt')).toBeNull();
    expect(decodeJwtExp('a.%%%.c')).toBeNull();
  });
});

beforeEach(() => {
  window.localStorage.clear();
});
