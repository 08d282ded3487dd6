import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../api/client';
import { errorResponse, jsonResponse, makeJwt, makeUser, mockFetch } from '../test/utils';
import { loadUploadRecord, partRange, uploadKey, uploadMultipart, type UploadProgress } from './multipartUpload';

const STORAGE = 'https://s3.test/bucket/asset-7';

// jsdom's Blob has no text()/arrayBuffer(): read through FileReader.
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function makeFile(size: number, name = 'lecture.mp4', lastModified = 1_700_000_000_000) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = 65 + (i % 26); // A–Z, so text slices line up with bytes
  return new File([bytes], name, { type: 'video/mp4', lastModified });
}

interface Server {
  created: unknown[];
  partRequests: number[][];
  puts: Array<{ part: number; size: number; text: string }>;
  completed: Array<{ parts: Array<{ part_number: number; etag: string }> }>;
  uploaded: Array<{ part_number: number; etag: string; size: number }>;
  statusCode?: number;
  status?: string;
  failPart?: number;
  reported?: Array<{ part: number; etag: string; size: number }>;
}

function fakeServer(server: Server, { partSize = 10, partCount = 3 } = {}) {
  return mockFetch(async ({ url, path, method, init }) => {
    const body = init.body && typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    if (path === '/api/authoring/uploads/' && method === 'POST') {
      server.created.push(body);
      return jsonResponse(201, { asset_id: 7, part_size: partSize, part_count: partCount });
    }
    if (path === '/api/authoring/uploads/7/' && method === 'GET') {
      if (server.statusCode && server.statusCode !== 200) return errorResponse(server.statusCode, 'not_found', 'gone');
      return jsonResponse(200, {
        asset_id: 7,
        status: server.status ?? 'uploading',
        uploaded_parts: server.uploaded,
        part_size: partSize,
        part_count: partCount,
      });
    }
    if (path === '/api/authoring/uploads/7/parts/' && method === 'POST') {
      server.partRequests.push(body.part_numbers);
      const urls: Record<string, string> = {};
      for (const n of body.part_numbers as number[]) urls[String(n)] = `${STORAGE}?partNumber=${n}&X-Sig=abc`;
      return jsonResponse(200, { urls });
    }
    if (url.startsWith(STORAGE) && method === 'PUT') {
      const part = Number(new URL(url).searchParams.get('partNumber'));
      if (server.failPart === part) return new Response('boom', { status: 500 });
      const blob = init.body as Blob;
      const text = await readText(blob);
      server.puts.push({ part, size: blob.size, text });
      // Headers of a real S3 response; the ETag comes quoted.
      return new Response(null, { status: 200, headers: { ETag: `"etag-${part}"` } });
    }
    const reported = path.match(/^\/api\/authoring\/uploads\/7\/parts\/(\d+)\/$/);
    if (reported && method === 'POST') {
      server.reported = [...(server.reported ?? []), { part: Number(reported[1]), ...body }];
      return new Response(null, { status: 204 });
    }
    if (path === '/api/authoring/uploads/7/complete/' && method === 'POST') {
      server.completed.push(body);
      return jsonResponse(200, { id: 7, status: 'ready', content_type: 'video/mp4', size: 25, filename: 'lecture.mp4', duration_seconds: 12 });
    }
    return errorResponse(404, 'not_found', `${method} ${path}`);
  });
}

const newServer = (): Server => ({ created: [], partRequests: [], puts: [], completed: [], uploaded: [] });

describe('uploadMultipart', () => {
  beforeEach(() => {
    api.setSession({ access: makeJwt(Math.floor(Date.now() / 1000) + 3600), user: makeUser({ role: 'content_author' }) });
  });
  afterEach(() => api.clearSession());

  it('creates the upload, splits the file into part_size parts, collects ETags and completes with sorted parts', async () => {
    const server = newServer();
    fakeServer(server);
    const file = makeFile(25);
    const progress: UploadProgress[] = [];

    const asset = await uploadMultipart(file, { kind: 'video', batchSize: 2, concurrency: 2, onProgress: (p) => progress.push(p) });

    expect(server.created).toEqual([{ filename: 'lecture.mp4', size: 25, content_type: 'video/mp4', kind: 'video' }]);
    // URLs requested in batches of 2.
    expect(server.partRequests).toEqual([[1, 2], [3]]);
    // Parts of 10, 10 and 5 bytes with the right content.
    const whole = await readText(file);
    const expectText = (n: number) => {
      const [start, end] = partRange(n, 10, 25);
      return whole.slice(start, end);
    };
    expect([...server.puts].sort((a, b) => a.part - b.part).map((p) => [p.part, p.size])).toEqual([
      [1, 10],
      [2, 10],
      [3, 5],
    ]);
    for (const put of server.puts) expect(put.text).toBe(expectText(put.part));
    expect(server.completed).toEqual([
      {
        parts: [
          { part_number: 1, etag: '"etag-1"' },
          { part_number: 2, etag: '"etag-2"' },
          { part_number: 3, etag: '"etag-3"' },
        ],
      },
    ]);
    expect(asset).toMatchObject({ id: 7, status: 'ready' });
    // Every stored part was reported to the server with its ETag and size (resume without ListParts).
    expect([...(server.reported ?? [])].sort((a, b) => a.part - b.part)).toEqual([
      { part: 1, etag: '"etag-1"', size: 10 },
      { part: 2, etag: '"etag-2"', size: 10 },
      { part: 3, etag: '"etag-3"', size: 5 },
    ]);
    expect(progress.at(-1)).toEqual({ uploadedBytes: 25, totalBytes: 25, partsDone: 3, partCount: 3 });
    // Done: nothing left to resume.
    expect(loadUploadRecord(file, 'video')).toBeNull();
  });

  it('keeps the progress in localStorage when a part fails', async () => {
    const server = newServer();
    server.failPart = 3;
    fakeServer(server);
    const file = makeFile(25);

    await expect(uploadMultipart(file, { kind: 'video', concurrency: 1, retries: 1 })).rejects.toMatchObject({ code: 'part_failed' });

    const record = loadUploadRecord(file, 'video');
    expect(record).toMatchObject({ asset_id: 7, filename: 'lecture.mp4', size: 25, lastModified: file.lastModified, part_size: 10, part_count: 3 });
    expect(record?.parts).toEqual({ 1: '"etag-1"', 2: '"etag-2"' });
    expect(server.completed).toEqual([]);
  });

  it('resumes from localStorage: reconciles with the server and uploads only the missing parts', async () => {
    const server = newServer();
    // The server has parts 1 and 3; locally part 2 was recorded too, but the server does not know it.
    server.uploaded = [
      { part_number: 3, etag: '"s3-3"', size: 5 },
      { part_number: 1, etag: '"s3-1"', size: 10 },
    ];
    fakeServer(server);
    const file = makeFile(25);
    window.localStorage.setItem(
      uploadKey(file, 'video'),
      JSON.stringify({
        asset_id: 7,
        kind: 'video',
        filename: file.name,
        size: file.size,
        lastModified: file.lastModified,
        part_size: 10,
        part_count: 3,
        parts: { 1: '"s3-1"', 2: '"local-2"' },
      }),
    );
    let resumed = false;

    await uploadMultipart(file, { kind: 'video', onResume: () => (resumed = true) });

    expect(resumed).toBe(true);
    expect(server.created).toEqual([]); // no new upload
    expect(server.partRequests).toEqual([[2]]);
    expect(server.puts.map((p) => p.part)).toEqual([2]);
    expect(server.completed[0].parts).toEqual([
      { part_number: 1, etag: '"s3-1"' },
      { part_number: 2, etag: '"etag-2"' },
      { part_number: 3, etag: '"s3-3"' },
    ]);
    expect(loadUploadRecord(file, 'video')).toBeNull();
  });

  it('re-uploads a part whose stored size does not match', async () => {
    const server = newServer();
    server.uploaded = [
      { part_number: 1, etag: '"s3-1"', size: 4 },
      { part_number: 2, etag: '"s3-2"', size: 10 },
    ];
    fakeServer(server);
    const file = makeFile(25);
    window.localStorage.setItem(
      uploadKey(file, 'video'),
      JSON.stringify({ asset_id: 7, kind: 'video', filename: file.name, size: 25, lastModified: file.lastModified, part_size: 10, part_count: 3, parts: {} }),
    );
    await uploadMultipart(file, { kind: 'video', concurrency: 1 });
    expect(server.partRequests).toEqual([[1, 3]]);
  });

  it('starts over when the stored upload is gone on the server', async () => {
    const server = newServer();
    server.statusCode = 404;
    fakeServer(server);
    const file = makeFile(25);
    window.localStorage.setItem(
      uploadKey(file, 'video'),
      JSON.stringify({ asset_id: 7, kind: 'video', filename: file.name, size: 25, lastModified: file.lastModified, part_size: 10, part_count: 3, parts: { 1: '"x"' } }),
    );
    await uploadMultipart(file, { kind: 'video' });
    expect(server.created).toHaveLength(1);
    expect(server.puts).toHaveLength(3);
  });

  it('does not resume a different file with the same name', async () => {
    const server = newServer();
    fakeServer(server);
    const original = makeFile(25);
    window.localStorage.setItem(
      uploadKey(original, 'video'),
      JSON.stringify({ asset_id: 99, kind: 'video', filename: original.name, size: 25, lastModified: original.lastModified, part_size: 10, part_count: 3, parts: { 1: '"x"' } }),
    );
    const edited = makeFile(25, 'lecture.mp4', original.lastModified + 1000);
    await uploadMultipart(edited, { kind: 'video' });
    expect(server.created).toHaveLength(1);
    expect(server.puts).toHaveLength(3);
  });

  it('fails clearly when storage does not expose the ETag header', async () => {
    mockFetch(({ url, path, method }) => {
      if (path === '/api/authoring/uploads/') return jsonResponse(201, { asset_id: 7, part_size: 10, part_count: 1 });
      if (path === '/api/authoring/uploads/7/parts/') return jsonResponse(200, { urls: { 1: `${STORAGE}?partNumber=1` } });
      if (url.startsWith(STORAGE) && method === 'PUT') return new Response(null, { status: 200 });
      return errorResponse(404, 'not_found', 'x');
    });
    await expect(uploadMultipart(makeFile(5), { kind: 'file' })).rejects.toMatchObject({ code: 'etag_missing' });
  });
});
