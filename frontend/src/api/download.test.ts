import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, filenameFromDisposition } from './client';

afterEach(() => vi.unstubAllGlobals());

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="assignments-20260501-1000.csv"', 'assignments-20260501-1000.csv'],
    ['attachment; filename=report.xlsx', 'report.xlsx'],
    ["attachment; filename=\"x.csv\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.csv", 'отчёт.csv'],
    ['attachment', null],
    [null, null],
  ])('%s → %s', (header, expected) => {
    expect(filenameFromDisposition(header)).toBe(expected);
  });
});

describe('ApiClient', () => {
  it('downloads with the token and the suggested file name', async () => {
    const fetchImpl = vi.fn(async () =>
      new Response('a,b', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="r.csv"' } }),
    );
    const client = new ApiClient({ fetchImpl: fetchImpl as unknown as typeof fetch });
    client.setSession({ access: 'tok', user: { id: 1, email: 'a@b.c', first_name: '', last_name: '', role: 'hr_manager', language: 'ru', tenant: { slug: 'a', schema: 'a', kind: 'corporate', name: 'A' } } });
    const file = await client.download('/api/hr/reports/export/', { query: { file: 'csv', course: 'safety' } });
    expect(file.filename).toBe('r.csv');
    expect(await file.blob.text()).toBe('a,b');
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/hr/reports/export/?file=csv&course=safety');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    client.clearSession();
  });

  it('keeps the error details (e.g. seat usage)', async () => {
    const body = { error: { code: 'seat_limit_reached', message: 'No free seats', details: { used: 5, limit: 5 } } };
    const client = new ApiClient({ fetchImpl: (async () => new Response(JSON.stringify(body), { status: 409 })) as typeof fetch });
    const err = await client.post('/api/hr/employees/', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details).toEqual({ used: 5, limit: 5 });
    expect((err as ApiError).code).toBe('seat_limit_reached');
  });
});
