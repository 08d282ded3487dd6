import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { authoringApi, uploadsApi } from '../../api/endpoints';
import { isAbort, toFormError } from '../../api/errors';
import type { AuthoringLesson, UploadKind } from '../../api/types';
import { clearUploadRecord, loadUploadRecord, uploadMultipart } from '../../authoring/multipartUpload';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { ProgressBar } from '../../components/ProgressBar';
import { useI18n } from '../../i18n/I18nContext';

type Phase = 'idle' | 'uploading' | 'done' | 'error' | 'cancelled';

/**
 * File input of a video/file lesson: selecting a file starts the presigned
 * multipart upload (resumable), then attaches the asset to the lesson.
 */
export function MediaUpload({
  kind,
  lesson,
  onUploaded,
}: {
  kind: UploadKind;
  lesson: AuthoringLesson;
  onUploaded: (lesson: AuthoringLesson) => void;
}) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>('idle');
  const [percent, setPercent] = useState(0);
  const [resuming, setResuming] = useState(false);
  const [message, setMessage] = useState('');
  const [doneName, setDoneName] = useState('');
  const controllerRef = useRef<AbortController | null>(null);
  const fileRef = useRef<File | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // Leaving the editor stops the transfer; the stored progress lets it resume later.
  useEffect(() => () => controllerRef.current?.abort(), []);

  const start = async (file: File) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    fileRef.current = file;
    setPhase('uploading');
    setPercent(0);
    setMessage('');
    setResuming(loadUploadRecord(file, kind) !== null);
    try {
      const asset = await uploadMultipart(file, {
        kind,
        signal: controller.signal,
        onProgress: (p) => setPercent(p.totalBytes ? (p.uploadedBytes / p.totalBytes) * 100 : 100),
        onResume: () => setResuming(true),
      });
      const updated = await authoringApi.updateLesson(lesson.id, { media_asset_id: asset.id });
      if (controller.signal.aborted) return;
      const media = updated?.media ?? updated?.media_asset ?? asset;
      onUploaded({ ...lesson, ...(updated ?? {}), media, media_asset: media });
      setPercent(100);
      setDoneName(file.name);
      setPhase('done');
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      if (controller.signal.aborted || isAbort(err)) return;
      setPhase('error');
      // Rejections by the server (too large, not a real video, …) are final; anything else can resume.
      const final = err instanceof ApiError && err.status >= 400 && err.status < 500;
      setMessage(final ? toFormError(err, t).message : t('authoring.uploadFailed'));
    }
  };

  const cancel = () => {
    controllerRef.current?.abort();
    controllerRef.current = null;
    setPhase('cancelled');
    const file = fileRef.current;
    if (file) {
      const record = loadUploadRecord(file, kind);
      clearUploadRecord(file, kind);
      if (record) void uploadsApi.abort(record.asset_id).catch(() => undefined);
    }
    if (inputRef.current) inputRef.current.value = '';
  };

  const asset = lesson.media ?? lesson.media_asset ?? null;
  return (
    <div className="media-upload">
      <p className="muted">
        {asset ? t('authoring.mediaCurrent', { filename: asset.filename, status: asset.status }) : t('authoring.mediaNone')}
      </p>
      <Field
        ref={inputRef}
        type="file"
        label={kind === 'video' ? t('field.videoFile') : t('field.file')}
        accept={kind === 'video' ? 'video/*' : undefined}
        disabled={phase === 'uploading'}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void start(file);
        }}
      />
      {phase === 'uploading' ? (
        <div className="upload-progress">
          {resuming ? <p className="muted">{t('authoring.uploadResuming')}</p> : null}
          <ProgressBar value={percent} label={t('authoring.uploadProgress')} />
          <button type="button" className="btn btn-secondary btn-small" onClick={cancel}>
            {t('authoring.cancelUpload')}
          </button>
        </div>
      ) : null}
      <FormSuccess message={phase === 'done' ? t('authoring.uploadDone', { filename: doneName }) : ''} />
      <FormAlert message={phase === 'error' ? message : ''} />
      {phase === 'cancelled' ? (
        <p className="muted" role="status">
          {t('authoring.uploadCancelled')}
        </p>
      ) : null}
    </div>
  );
}
