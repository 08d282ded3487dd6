import { useState, type FormEvent } from 'react';
import { authoringApi } from '../../api/endpoints';
import { NO_ERROR, toFormError, type FormError } from '../../api/errors';
import type { AuthoringLesson, LessonPatch } from '../../api/types';
import { ApiError } from '../../api/client';
import { invalidQuestions, isBlankQuestion, questionIndexesFromErrors, quizFromLesson, quizPayload } from '../../authoring/quizSpec';
import { Field } from '../../components/Field';
import { FormAlert, FormSuccess } from '../../components/FormAlert';
import { CheckboxField, TextAreaField } from '../../components/FormControls';
import { useI18n } from '../../i18n/I18nContext';
import { MediaUpload } from './MediaUpload';
import { QuizEditor, type QuizDraft } from './QuizEditor';

const FIELDS = ['title', 'body_md', 'quiz.pass_mark', 'quiz.attempt_limit'] as const;
export const MAX_ATTEMPT_LIMIT = 100;

function draftFromLesson(lesson: AuthoringLesson): QuizDraft {
  const quiz = quizFromLesson(lesson.quiz);
  return { ...quiz, pass_mark: String(quiz.pass_mark), attempt_limit: String(quiz.attempt_limit) };
}

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return value >= min && value <= max ? value : null;
}

/** In-place editor of one lesson: title, flags and the kind's content (text, media or quiz). */
export function LessonEditor({
  id,
  lesson,
  onSaved,
  onDeleted,
}: {
  id: string;
  lesson: AuthoringLesson;
  onSaved: (lesson: AuthoringLesson) => void;
  onDeleted: (lesson: AuthoringLesson) => void;
}) {
  const { t } = useI18n();
  const [title, setTitle] = useState(lesson.title);
  const [freePreview, setFreePreview] = useState(Boolean(lesson.is_free_preview));
  const [required, setRequired] = useState(lesson.is_required !== false);
  const [body, setBody] = useState(lesson.body_md ?? '');
  const [quiz, setQuiz] = useState<QuizDraft>(() => draftFromLesson(lesson));
  const [invalid, setInvalid] = useState<number[]>([]);
  const [error, setError] = useState<FormError>(NO_ERROR);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const fields: Record<string, string[]> = {};
    if (!title.trim()) fields.title = [t('error.required')];
    const patch: LessonPatch = { title: title.trim(), is_free_preview: freePreview, is_required: required };
    if (lesson.kind === 'article') patch.body_md = body;
    let badQuestions: number[] = [];
    if (lesson.kind === 'quiz') {
      const passMark = wholeNumber(quiz.pass_mark, 0, 100);
      const attemptLimit = wholeNumber(quiz.attempt_limit, 0, MAX_ATTEMPT_LIMIT);
      if (passMark === null) fields['quiz.pass_mark'] = [t('authoring.numberInvalid', { min: 0, max: 100 })];
      if (attemptLimit === null) fields['quiz.attempt_limit'] = [t('authoring.numberInvalid', { min: 0, max: MAX_ATTEMPT_LIMIT })];
      // Questions left completely empty (e.g. the starter one) are not saved.
      const questions = quiz.questions.filter((q) => !isBlankQuestion(q));
      const spec = { ...quiz, questions, pass_mark: passMark ?? 0, attempt_limit: attemptLimit ?? 0 };
      // Indexes refer to the kept questions; map them back to the editor's list.
      badQuestions = invalidQuestions(spec).map((i) => quiz.questions.indexOf(questions[i]));
      patch.quiz = quizPayload(spec);
    }
    setInvalid(badQuestions);
    if (Object.keys(fields).length || badQuestions.length) {
      setError({ message: badQuestions.length ? t('authoring.quizInvalid') : '', fields });
      return;
    }
    setPending(true);
    setError(NO_ERROR);
    try {
      const updated = await authoringApi.updateLesson(lesson.id, patch);
      onSaved({ ...lesson, ...patch, ...(updated ?? {}) } as AuthoringLesson);
      setSaved(true);
    } catch (err) {
      setError(toFormError(err, t, FIELDS));
      if (err instanceof ApiError && lesson.kind === 'quiz') {
        const kept = quiz.questions.filter((q) => !isBlankQuestion(q));
        setInvalid(questionIndexesFromErrors(err.fields).map((i) => quiz.questions.indexOf(kept[i])).filter((i) => i >= 0));
      }
    } finally {
      setPending(false);
    }
  };

  const onDelete = async () => {
    setPending(true);
    setError(NO_ERROR);
    try {
      await authoringApi.deleteLesson(lesson.id);
      onDeleted(lesson);
    } catch (err) {
      setError(toFormError(err, t));
      setPending(false);
    }
  };

  return (
    <div id={id} className="lesson-editor" role="group" aria-label={t('authoring.lessonEditor', { title: lesson.title })}>
      <form onSubmit={onSubmit} noValidate aria-busy={pending}>
        <FormAlert message={error.message} />
        <FormSuccess message={saved ? t('authoring.lessonSaved') : ''} />
        <Field
          label={t('field.lessonName')}
          value={title}
          autoComplete="off"
          onChange={(e) => setTitle(e.target.value)}
          errors={error.fields.title}
        />
        <div className="check-row">
          <CheckboxField label={t('field.freePreview')} checked={freePreview} onChange={(e) => setFreePreview(e.target.checked)} />
          <CheckboxField label={t('field.required')} checked={required} onChange={(e) => setRequired(e.target.checked)} />
        </div>
        {lesson.kind === 'article' ? (
          <TextAreaField
            label={t('field.text')}
            rows={12}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            hint={t('hint.markdown')}
            errors={error.fields.body_md}
          />
        ) : null}
        {lesson.kind === 'quiz' ? (
          <QuizEditor
            value={quiz}
            onChange={(next) => {
              setQuiz(next);
              setSaved(false);
            }}
            errors={{ pass_mark: error.fields['quiz.pass_mark'], attempt_limit: error.fields['quiz.attempt_limit'] }}
            invalid={invalid}
          />
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {t('authoring.saveLesson')}
          </button>
          <button type="button" className="btn btn-danger" onClick={onDelete} disabled={pending}>
            {t('authoring.deleteLesson')}
          </button>
        </div>
      </form>
      {lesson.kind === 'video' || lesson.kind === 'file' ? (
        <MediaUpload kind={lesson.kind} lesson={lesson} onUploaded={onSaved} />
      ) : null}
    </div>
  );
}
