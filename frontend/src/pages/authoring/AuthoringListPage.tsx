import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { authoringApi } from '../../api/endpoints';
import { NO_ERROR, isAbort, toFormError, type FormError } from '../../api/errors';
import { COURSE_LANGUAGES, COURSE_LEVELS, type CourseCard, type CourseLanguage, type CourseLevel, type Paged } from '../../api/types';
import { parseMajorUnits } from '../../catalog/format';
import { CourseStatusBadge } from '../../components/CourseStatusBadge';
import { Field } from '../../components/Field';
import { FormAlert } from '../../components/FormAlert';
import { SelectField } from '../../components/FormControls';
import { PageHeading } from '../../components/PageHeading';
import { Pagination } from '../../components/Pagination';
import { Price } from '../../components/Price';
import { useI18n } from '../../i18n/I18nContext';

export const editorPath = (slug: string) => `/authoring/courses/${encodeURIComponent(slug)}`;

/** /authoring — the author's courses with their status, and the "New course" form. */
export function AuthoringListPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [data, setData] = useState<Paged<CourseCard> | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [creating, setCreating] = useState(false);
  const formId = `new-course${useId().replace(/[^\w-]/g, '')}`;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    authoringApi
      .courses(page, controller.signal)
      .then((result) => {
        setData(result);
        setError('');
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(toFormError(err, t).message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [page]);

  return (
    <section className="page">
      <div className="page-head">
        <PageHeading>{t('authoring.title')}</PageHeading>
        <button
          type="button"
          className="btn btn-primary"
          aria-expanded={creating}
          aria-controls={formId}
          onClick={() => setCreating((open) => !open)}
        >
          {t('authoring.newCourse')}
        </button>
      </div>

      {creating ? <NewCourseForm id={formId} onCancel={() => setCreating(false)} /> : null}

      <FormAlert message={error} />

      <div className="table-wrap" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('authoring.col.title')}</th>
              <th scope="col">{t('tenants.col.slug')}</th>
              <th scope="col">{t('authoring.col.status')}</th>
              <th scope="col" className="num">
                {t('authoring.col.lessons')}
              </th>
              <th scope="col">{t('authoring.col.price')}</th>
            </tr>
          </thead>
          <tbody>
            {data && data.results.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t('authoring.empty')}
                </td>
              </tr>
            ) : null}
            {data?.results.map((course) => (
              <tr key={course.slug}>
                <td>
                  <Link to={editorPath(course.slug)}>{course.title}</Link>
                </td>
                <td>
                  <code>{course.slug}</code>
                </td>
                <td>
                  <CourseStatusBadge status={course.status} />
                </td>
                <td className="num">{course.lesson_count}</td>
                <td className="nowrap">
                  <Price course={course} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data ? (
        <Pagination
          page={page}
          count={data.count}
          onChange={(next) => setParams(next > 1 ? { page: String(next) } : {})}
        />
      ) : null}
    </section>
  );
}

const FIELDS = ['slug', 'title', 'subtitle', 'level', 'language', 'price_amount', 'category_slug'] as const;

function NewCourseForm({ id, onCancel }: { id: string; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [slug, setSlug] = useState('');
  const [title, setTitle] = useState('');
  const [subtitle, setSubtitle] = useState('');
  const [level, setLevel] = useState<CourseLevel>('beginner');
  const [language, setLanguage] = useState<CourseLanguage>(lang);
  const [price, setPrice] = useState('0');
  const [category, setCategory] = useState('');
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!slug.trim()) fields.slug = [t('error.required')];
    if (!title.trim()) fields.title = [t('error.required')];
    const amount = parseMajorUnits(price);
    if (amount === null) fields.price_amount = [t('authoring.priceInvalid')];
    if (Object.keys(fields).length) {
      setError({ message: '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const created = await authoringApi.createCourse({
        slug: slug.trim(),
        title: title.trim(),
        subtitle: subtitle.trim(),
        level,
        language,
        price_amount: amount ?? 0,
        currency: 'RUB',
        ...(category.trim() ? { category_slug: category.trim() } : {}),
      });
      navigate(editorPath(created.slug ?? slug.trim()));
    } catch (err) {
      setError(toFormError(err, t, FIELDS));
      setPending(false);
    }
  };

  return (
    <form id={id} className="card" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label={t('authoring.newCourse')}>
      <FormAlert message={error.message} />
      <div className="field-row">
        <Field
          label={t('field.slug')}
          name="slug"
          autoComplete="off"
          spellCheck={false}
          value={slug}
          onChange={(e) => setSlug(e.target.value.toLowerCase())}
          hint={t('authoring.slugHint')}
          errors={error.fields.slug}
        />
        <Field
          label={t('field.courseTitle')}
          name="title"
          autoComplete="off"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          errors={error.fields.title}
        />
      </div>
      <Field
        label={t('field.subtitle')}
        name="subtitle"
        autoComplete="off"
        value={subtitle}
        onChange={(e) => setSubtitle(e.target.value)}
        errors={error.fields.subtitle}
      />
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
          label={t('field.price')}
          name="price"
          inputMode="decimal"
          autoComplete="off"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          hint={t('hint.price')}
          errors={error.fields.price_amount}
        />
        <Field
          label={t('field.categorySlug')}
          name="category_slug"
          autoComplete="off"
          spellCheck={false}
          value={category}
          onChange={(e) => setCategory(e.target.value)}
          errors={error.fields.category_slug}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('authoring.create')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
