import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { authoringApi } from '../../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../../api/errors';
import {
  COURSE_LANGUAGES,
  COURSE_LEVELS,
  type AuthoringCourse,
  type CourseLanguage,
  type CourseLevel,
  type CoursePatch,
} from '../../api/types';
import { minorToInput, parseMajorUnits } from '../../catalog/format';
import { CourseStatusBadge } from '../../components/CourseStatusBadge';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { SelectField, TextAreaField } from '../../components/FormControls';
import { Loading } from '../../components/Loading';
import { PageHeading } from '../../components/PageHeading';
import { useI18n } from '../../i18n/I18nContext';
import { CourseOutline } from './CourseOutline';

/** "a, b ,, c" → ["a", "b", "c"] (no duplicates). */
export function parseTags(input: string): string[] {
  const tags: string[] = [];
  for (const raw of input.split(',')) {
    const tag = raw.trim();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** The messages of a failed publish: the general message plus every field/item error. */
export function publishErrors(err: unknown, fallback: string): string[] {
  if (!(err instanceof ApiError)) return [fallback];
  const list = Object.values(err.fields).flat();
  if (err.message) list.unshift(err.message);
  return list.length ? list : [fallback];
}

/** /authoring/courses/:slug — course fields, cover, modules and lessons, publication. */
export function CourseEditorPage() {
  const { slug = '' } = useParams();
  const { t } = useI18n();
  const [course, setCourse] = useState<AuthoringCourse | null>(null);
  const [loadError, setLoadError] = useState('');
  const [statusErrors, setStatusErrors] = useState<string[]>([]);
  const [statusMessage, setStatusMessage] = useState('');
  const [statusPending, setStatusPending] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setCourse(null);
    authoringApi
      .course(slug, controller.signal)
      .then(setCourse)
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(toFormError(err, t).message);
      });
    return () => controller.abort();
  }, [slug]);

  if (!course) {
    return (
      <section className="page">
        <p className="breadcrumbs">
          <Link to="/authoring">{t('authoring.back')}</Link>
        </p>
        {loadError ? <FormAlert message={loadError} /> : <Loading />}
      </section>
    );
  }

  const published = course.status === 'published';

  const archived = course.status === 'archived';

  const changeStatus = async (action: 'publish' | 'unpublish' | 'archive') => {
    setStatusPending(true);
    setStatusErrors([]);
    setStatusMessage('');
    try {
      const updated = await authoringApi[action](course.slug);
      const fallback = { publish: 'published', unpublish: 'draft', archive: 'archived' }[action];
      setCourse((current) => (current ? { ...current, status: updated?.status ?? fallback } : current));
      setStatusMessage(
        { publish: t('authoring.published'), unpublish: t('authoring.unpublishedMsg'), archive: t('authoring.archivedMsg') }[action],
      );
    } catch (err) {
      const network = err instanceof ApiError && err.code === 'network_error';
      setStatusErrors(network ? [t('error.network')] : publishErrors(err, t('error.unknown')));
    } finally {
      setStatusPending(false);
    }
  };

  return (
    <section className="page course-editor">
      <p className="breadcrumbs">
        <Link to="/authoring">{t('authoring.back')}</Link>
      </p>
      <div className="page-head">
        <div>
          <PageHeading>{course.title}</PageHeading>
          <p className="muted">
            <code>{course.slug}</code> · {t('authoring.status')}: <CourseStatusBadge status={course.status} />
          </p>
        </div>
        <div className="button-row">
          <Link to={`/courses/${encodeURIComponent(course.slug)}?preview=1`} className="btn btn-secondary">
            {t('authoring.preview')}
          </Link>
          {published ? (
            <button type="button" className="btn btn-secondary" onClick={() => changeStatus('unpublish')} disabled={statusPending}>
              {t('authoring.unpublish')}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => changeStatus('publish')} disabled={statusPending}>
              {t('authoring.publish')}
            </button>
          )}
          {archived ? null : (
            <button type="button" className="btn btn-secondary" onClick={() => changeStatus('archive')} disabled={statusPending}>
              {t('authoring.archive')}
            </button>
          )}
        </div>
      </div>
      {statusErrors.length ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">{t('authoring.publishErrors')}</p>
          <ul>
            {statusErrors.map((message, index) => (
              <li key={index}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormSuccess message={statusMessage} />

      <div className="editor-grid">
        <CourseDetailsForm course={course} onSaved={(updated) => setCourse((c) => (c ? { ...c, ...updated, modules: c.modules } : c))} />
        <CoverForm course={course} onUploaded={(cover_url) => setCourse((c) => (c ? { ...c, cover_url } : c))} />
      </div>

      <CourseOutline key={course.slug} slug={course.slug} initialModules={course.modules ?? []} />
    </section>
  );
}

const DETAIL_FIELDS = [
  'title',
  'subtitle',
  'description_md',
  'tags',
  'estimated_minutes',
  'price_amount',
  'level',
  'language',
  'category_slug',
] as const;

function CourseDetailsForm({ course, onSaved }: { course: AuthoringCourse; onSaved: (course: Partial<AuthoringCourse>) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(course.title);
  const [subtitle, setSubtitle] = useState(course.subtitle ?? '');
  const [description, setDescription] = useState(course.description_md ?? '');
  const [tags, setTags] = useState((course.tags ?? []).join(', '));
  const [minutes, setMinutes] = useState(course.estimated_minutes ? String(course.estimated_minutes) : '');
  const [price, setPrice] = useState(minorToInput(course.price?.amount));
  const [level, setLevel] = useState<CourseLevel>(course.level ?? 'beginner');
  const [language, setLanguage] = useState<CourseLanguage>(course.language ?? 'ru');
  const initialCategory = course.category_slug ?? course.category?.slug ?? '';
  const [category, setCategory] = useState(initialCategory);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const fields: Record<string, string[]> = {};
    if (!title.trim()) fields.title = [t('error.required')];
    const amount = parseMajorUnits(price);
    if (amount === null) fields.price_amount = [t('authoring.priceInvalid')];
    if (minutes.trim() && !/^\d+$/.test(minutes.trim())) fields.estimated_minutes = [t('authoring.minutesInvalid')];
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    const patch: CoursePatch = {
      title: title.trim(),
      subtitle: subtitle.trim(),
      description_md: description,
      tags: parseTags(tags),
      estimated_minutes: minutes.trim() ? Number(minutes.trim()) : 0,
      price_amount: amount ?? 0,
      currency: course.price?.currency || 'RUB',
      level,
      language,
    };
    if (category.trim() !== initialCategory) patch.category_slug = category.trim() || null;
    setPending(true);
    setError(NO_ERROR);
    try {
      const updated = await authoringApi.updateCourse(course.slug, patch);
      onSaved(updated ?? {});
      setSaved(true);
    } catch (err) {
      setError(toFormError(err, t, DETAIL_FIELDS));
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card course-details" onSubmit={onSubmit} noValidate aria-busy={pending} aria-labelledby="details-heading">
      <h2 id="details-heading">{t('authoring.details')}</h2>
      <FormAlert message={error.message} />
      <FormSuccess message={saved ? t('authoring.saved') : ''} />
      <Field label={t('field.courseTitle')} value={title} onChange={(e) => setTitle(e.target.value)} errors={error.fields.title} />
      <Field label={t('field.subtitle')} value={subtitle} onChange={(e) => setSubtitle(e.target.value)} errors={error.fields.subtitle} />
      <TextAreaField
        label={t('field.description')}
        rows={8}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        hint={t('hint.markdown')}
        errors={error.fields.description_md}
      />
      <Field label={t('field.tags')} value={tags} onChange={(e) => setTags(e.target.value)} hint={t('hint.tags')} errors={error.fields.tags} />
      <div className="field-row">
        <Field
          label={t('field.estimatedMinutes')}
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          errors={error.fields.estimated_minutes}
        />
        <Field
          label={t('field.price')}
          inputMode="decimal"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          hint={t('hint.price')}
          errors={error.fields.price_amount}
        />
      </div>
      <div className="field-row">
        <SelectField
          label={t('field.level')}
          value={level}
          onChange={(e) => setLevel(e.target.value as CourseLevel)}
          options={COURSE_LEVELS.map((value) => [value, t(`level.${value}`)] as const)}
          errors={error.fields.level}
        />
        <SelectField
          label={t('field.language')}
          value={language}
          onChange={(e) => setLanguage(e.target.value as CourseLanguage)}
          options={COURSE_LANGUAGES.map((value) => [value, t(`language.${value}`)] as const)}
          errors={error.fields.language}
        />
        <Field
          label={t('field.categorySlug')}
          value={category}
          spellCheck={false}
          onChange={(e) => setCategory(e.target.value)}
          errors={error.fields.category_slug}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}

function CoverForm({ course, onUploaded }: { course: AuthoringCourse; onUploaded: (coverUrl: string | null) => void }) {
  const { t } = useI18n();
  const inputRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  const upload = async (file: File) => {
    setPending(true);
    setError('');
    setDone(false);
    try {
      const updated = await authoringApi.uploadCover(course.slug, file);
      onUploaded(updated?.cover_url ?? null);
      setDone(true);
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      setError(toFormError(err, t, []).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="card cover-form" aria-busy={pending}>
      <FormAlert message={error} />
      <FormSuccess message={done ? t('authoring.coverUploaded') : ''} />
      <Field
        ref={inputRef}
        type="file"
        label={t('field.cover')}
        accept="image/png,image/jpeg,image/webp"
        disabled={pending}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void upload(file);
        }}
      />
      {course.cover_url ? <img className="preview cover-preview" src={course.cover_url} alt={t('authoring.currentCover')} /> : null}
    </div>
  );
}
