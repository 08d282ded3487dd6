import { ApiError } from '../api/client';
import { uploadsApi, type UploadsApi } from '../api/endpoints';
import type { CompletedPart, Id, MediaAsset, UploadKind, UploadStatus } from '../api/types';

/**
 * Presigned multipart upload (docs/learning-api.md, "Authoring"):
 * create upload → request part URLs in batches → PUT each part straight to
 * object storage, keeping the ETag response header → complete with the parts
 * sorted by number.
 *
 * Progress is kept in localStorage under the file's fingerprint (name, size,
 * lastModified), so selecting the same file again after a reload or a network
 * failure uploads only the parts the server does not have yet (the server's
 * GET /uploads/{id}/ is authoritative).
 */

export interface UploadableFile {
  name: string;
  size: number;
  lastModified: number;
  type: string;
  slice(start?: number, end?: number): Blob;
}

export interface UploadRecord {
  asset_id: Id;
  kind: UploadKind;
  filename: string;
  size: number;
  lastModified: number;
  part_size: number;
  part_count: number;
  /** part number → ETag of the parts already stored. */
  parts: Record<string, string>;
}

export interface UploadProgress {
  uploadedBytes: number;
  totalBytes: number;
  partsDone: number;
  partCount: number;
}

export interface UploadOptions {
  kind: UploadKind;
  api?: Pick<UploadsApi, 'create' | 'partUrls' | 'status' | 'complete'> & Partial<Pick<UploadsApi, 'reportPart'>>;
  /** Used for the PUTs to object storage (not the API client: no auth header, no JSON). */
  fetchImpl?: typeof fetch;
  storage?: Storage | null;
  /** Part URLs requested per call. */
  batchSize?: number;
  /** Parts uploaded in parallel. */
  concurrency?: number;
  /** Extra attempts for a failing part PUT. */
  retries?: number;
  signal?: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Called once when an earlier upload of this file is being resumed. */
  onResume?: (record: UploadRecord) => void;
}

export type UploadErrorCode = 'part_failed' | 'etag_missing' | 'url_missing';

export class UploadError extends Error {
  readonly code: UploadErrorCode;
  readonly status: number;

  constructor(code: UploadErrorCode, status = 0) {
    super(code);
    this.name = 'UploadError';
    this.code = code;
    this.status = status;
  }
}

const KEY_PREFIX = 'ffs.upload:';
export const DEFAULT_BATCH_SIZE = 10;
export const DEFAULT_CONCURRENCY = 3;

export function uploadKey(file: Pick<UploadableFile, 'name' | 'size' | 'lastModified'>, kind: UploadKind): string {
  return `${KEY_PREFIX}${kind}:${file.size}:${file.lastModified}:${file.name}`;
}

function defaultStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

export function loadUploadRecord(
  file: Pick<UploadableFile, 'name' | 'size' | 'lastModified'>,
  kind: UploadKind,
  storage: Storage | null = defaultStorage(),
): UploadRecord | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(uploadKey(file, kind));
    if (!raw) return null;
    const record = JSON.parse(raw) as UploadRecord;
    const matches =
      record &&
      record.filename === file.name &&
      record.size === file.size &&
      record.lastModified === file.lastModified &&
      record.asset_id !== undefined &&
      record.asset_id !== null;
    return matches ? { ...record, parts: { ...(record.parts ?? {}) } } : null;
  } catch {
    return null;
  }
}

function saveRecord(record: UploadRecord, storage: Storage | null): void {
  try {
    storage?.setItem(uploadKey({ name: record.filename, size: record.size, lastModified: record.lastModified }, record.kind), JSON.stringify(record));
  } catch {
    // Storage full or unavailable: the upload still works, it just cannot resume.
  }
}

export function clearUploadRecord(
  file: Pick<UploadableFile, 'name' | 'size' | 'lastModified'>,
  kind: UploadKind,
  storage: Storage | null = defaultStorage(),
): void {
  try {
    storage?.removeItem(uploadKey(file, kind));
  } catch {
    // ignore
  }
}

/** Byte range [start, end) of a 1-based part. */
export function partRange(partNumber: number, partSize: number, size: number): [number, number] {
  const start = (partNumber - 1) * partSize;
  return [start, Math.min(start + partSize, size)];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  const step = Math.max(1, size);
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new DOMException('Upload aborted', 'AbortError');
}

async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lanes = Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, async () => {
    while (failed === null && next < items.length) {
      const item = items[next];
      next += 1;
      try {
        await worker(item);
      } catch (err) {
        if (failed === null) failed = err;
      }
    }
  });
  await Promise.all(lanes);
  if (failed !== null) throw failed;
}

/** Parts the server already has, keeping only those whose size is what this file needs. */
function confirmedParts(status: UploadStatus, size: number): Map<number, string> {
  const done = new Map<number, string>();
  for (const part of status.uploaded_parts ?? []) {
    if (!part || !part.etag || part.part_number < 1 || part.part_number > status.part_count) continue;
    const [start, end] = partRange(part.part_number, status.part_size, size);
    if (typeof part.size === 'number' && part.size !== end - start) continue;
    done.set(part.part_number, part.etag);
  }
  return done;
}

/** Uploads `file` (or finishes an interrupted upload of it) and returns the completed asset. */
export async function uploadMultipart(file: UploadableFile, options: UploadOptions): Promise<MediaAsset> {
  const {
    kind,
    api = uploadsApi,
    fetchImpl = (input, init) => globalThis.fetch(input, init),
    storage = defaultStorage(),
    batchSize = DEFAULT_BATCH_SIZE,
    concurrency = DEFAULT_CONCURRENCY,
    retries = 2,
    signal,
    onProgress,
    onResume,
  } = options;
  const contentType = file.type || 'application/octet-stream';

  let record = loadUploadRecord(file, kind, storage);
  let done = new Map<number, string>();

  if (record) {
    let status: UploadStatus | null = null;
    try {
      status = await api.status(record.asset_id);
    } catch (err) {
      // The upload is gone (aborted, expired, rejected): start over. Anything else is a real failure.
      if (!(err instanceof ApiError && err.status >= 400 && err.status < 500)) throw err;
    }
    if (status && status.status === 'ready') {
      clearUploadRecord(file, kind, storage);
      return {
        id: record.asset_id,
        status: 'ready',
        content_type: contentType,
        size: file.size,
        filename: file.name,
        duration_seconds: null,
      };
    }
    if (status && status.status === 'uploading') {
      record = { ...record, part_size: status.part_size, part_count: status.part_count };
      done = confirmedParts(status, file.size);
      record.parts = Object.fromEntries([...done].map(([n, etag]) => [String(n), etag]));
      saveRecord(record, storage);
      onResume?.(record);
    } else {
      clearUploadRecord(file, kind, storage);
      record = null;
    }
  }

  throwIfAborted(signal);
  if (!record) {
    const ticket = await api.create({ filename: file.name, size: file.size, content_type: contentType, kind });
    record = {
      asset_id: ticket.asset_id,
      kind,
      filename: file.name,
      size: file.size,
      lastModified: file.lastModified,
      part_size: ticket.part_size,
      part_count: ticket.part_count,
      parts: {},
    };
    saveRecord(record, storage);
  }

  const current = record;
  const partBytes = (n: number) => {
    const [start, end] = partRange(n, current.part_size, file.size);
    return end - start;
  };
  let uploadedBytes = [...done.keys()].reduce((sum, n) => sum + partBytes(n), 0);
  const report = () =>
    onProgress?.({ uploadedBytes, totalBytes: file.size, partsDone: done.size, partCount: current.part_count });
  report();

  const missing: number[] = [];
  for (let n = 1; n <= current.part_count; n += 1) if (!done.has(n)) missing.push(n);

  const putPart = async (n: number, url: string) => {
    const [start, end] = partRange(n, current.part_size, file.size);
    for (let attempt = 0; ; attempt += 1) {
      throwIfAborted(signal);
      try {
        const response = await fetchImpl(url, { method: 'PUT', body: file.slice(start, end), signal });
        if (!response.ok) throw new UploadError('part_failed', response.status);
        const etag = response.headers.get('ETag');
        if (!etag) throw new UploadError('etag_missing', response.status);
        return etag;
      } catch (err) {
        if (isAbortError(err) || (err instanceof UploadError && err.code === 'etag_missing')) throw err;
        // 4xx from storage (e.g. an expired URL) will not get better by repeating the same URL.
        if (err instanceof UploadError && err.status >= 400 && err.status < 500) throw err;
        if (attempt >= retries) throw err instanceof UploadError ? err : new UploadError('part_failed');
      }
    }
  };

  for (const batch of chunk(missing, batchSize)) {
    throwIfAborted(signal);
    const { urls } = await api.partUrls(current.asset_id, batch);
    await runPool(batch, concurrency, async (n) => {
      const url = urls?.[String(n)];
      if (!url) throw new UploadError('url_missing');
      const etag = await putPart(n, url);
      await api.reportPart?.(current.asset_id, n, etag, partBytes(n));
      done.set(n, etag);
      current.parts[String(n)] = etag;
      saveRecord(current, storage);
      uploadedBytes += partBytes(n);
      report();
    });
  }

  throwIfAborted(signal);
  const parts: CompletedPart[] = [...done]
    .map(([part_number, etag]) => ({ part_number, etag }))
    .sort((a, b) => a.part_number - b.part_number);
  try {
    const asset = await api.complete(current.asset_id, parts);
    clearUploadRecord(file, kind, storage);
    return asset;
  } catch (err) {
    // Rejected content (e.g. 400 invalid_media) is deleted by the server: nothing left to resume.
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) clearUploadRecord(file, kind, storage);
    throw err;
  }
}
