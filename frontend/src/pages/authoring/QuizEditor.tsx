import { useId } from 'react';
import type { QuestionKind, QuizSpecQuestion } from '../../api/types';
import { blankQuestion } from '../../authoring/quizSpec';
import { Field } from '../../components/Field';
import { CheckboxField, SelectField, TextAreaField } from '../../components/FormControls';
import { useI18n } from '../../i18n/I18nContext';

/** The quiz as edited: numbers stay text while typing. */
export interface QuizDraft {
  pass_mark: string;
  attempt_limit: string;
  shuffle: boolean;
  questions: QuizSpecQuestion[];
}

/** Quiz settings and questions (single/multiple choice) with their options. */
export function QuizEditor({
  value,
  onChange,
  errors = {},
  invalid = [],
}: {
  value: QuizDraft;
  onChange: (next: QuizDraft) => void;
  errors?: { pass_mark?: string[]; attempt_limit?: string[] };
  /** Indexes of questions to flag. */
  invalid?: number[];
}) {
  const { t } = useI18n();
  const uid = useId().replace(/[^\w-]/g, '');
  const setQuestion = (index: number, question: QuizSpecQuestion) =>
    onChange({ ...value, questions: value.questions.map((q, i) => (i === index ? question : q)) });

  return (
    <fieldset className="quiz-editor">
      <legend>{t('authoring.quiz')}</legend>
      <div className="field-row">
        <Field
          label={t('field.passMark')}
          type="number"
          min={0}
          max={100}
          step={1}
          inputMode="numeric"
          value={value.pass_mark}
          onChange={(e) => onChange({ ...value, pass_mark: e.target.value })}
          errors={errors.pass_mark}
        />
        <Field
          label={t('field.attemptLimit')}
          type="number"
          min={0}
          max={100}
          step={1}
          inputMode="numeric"
          value={value.attempt_limit}
          onChange={(e) => onChange({ ...value, attempt_limit: e.target.value })}
          hint={t('hint.attemptLimit')}
          errors={errors.attempt_limit}
        />
      </div>
      <CheckboxField
        label={t('field.shuffle')}
        checked={value.shuffle}
        onChange={(e) => onChange({ ...value, shuffle: e.target.checked })}
      />

      <ol className="quiz-editor-questions">
        {value.questions.map((question, index) => (
          <li key={index}>
            <fieldset className={`quiz-editor-question${invalid.includes(index) ? ' is-invalid' : ''}`}>
              <legend>{t('authoring.question', { n: index + 1 })}</legend>
              <TextAreaField
                label={t('field.questionText')}
                rows={2}
                value={question.text}
                onChange={(e) => setQuestion(index, { ...question, text: e.target.value })}
              />
              <SelectField
                label={t('field.questionKind')}
                value={question.kind}
                onChange={(e) => {
                  const kind = e.target.value as QuestionKind;
                  let seen = false;
                  // Single choice keeps only the first correct option.
                  const options =
                    kind === 'single'
                      ? question.options.map((o) => {
                          const keep = o.is_correct && !seen;
                          if (o.is_correct) seen = true;
                          return { ...o, is_correct: keep };
                        })
                      : question.options;
                  setQuestion(index, { ...question, kind, options });
                }}
                options={[
                  ['single', t('question.single')],
                  ['multiple', t('question.multiple')],
                ]}
              />
              <ol className="quiz-editor-options">
                {question.options.map((option, o) => (
                  <li key={o} className="option-row">
                    <Field
                      label={t('field.optionText', { n: o + 1 })}
                      value={option.text}
                      onChange={(e) =>
                        setQuestion(index, {
                          ...question,
                          options: question.options.map((x, j) => (j === o ? { ...x, text: e.target.value } : x)),
                        })
                      }
                    />
                    <div className="field field-check option-correct">
                      <input
                        id={`${uid}q${index}o${o}-correct`}
                        type="checkbox"
                        aria-label={t('field.optionCorrect', { n: o + 1 })}
                        checked={option.is_correct}
                        onChange={(e) => {
                          const checked = e.target.checked;
                          setQuestion(index, {
                            ...question,
                            options: question.options.map((x, j) =>
                              j === o ? { ...x, is_correct: checked } : question.kind === 'single' && checked ? { ...x, is_correct: false } : x,
                            ),
                          });
                        }}
                      />
                      <label htmlFor={`${uid}q${index}o${o}-correct`} aria-hidden="true">
                        {t('authoring.correct')}
                      </label>
                    </div>
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      aria-label={t('authoring.removeOption', { n: o + 1 })}
                      disabled={question.options.length <= 2}
                      onClick={() => setQuestion(index, { ...question, options: question.options.filter((_, j) => j !== o) })}
                    >
                      ✕
                    </button>
                  </li>
                ))}
              </ol>
              <div className="button-row">
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() => setQuestion(index, { ...question, options: [...question.options, { text: '', is_correct: false }] })}
                >
                  {t('authoring.addOption')}
                </button>
                <button
                  type="button"
                  className="btn btn-danger btn-small"
                  onClick={() => onChange({ ...value, questions: value.questions.filter((_, i) => i !== index) })}
                >
                  {t('authoring.removeQuestion', { n: index + 1 })}
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => onChange({ ...value, questions: [...value.questions, blankQuestion()] })}
      >
        {t('authoring.addQuestion')}
      </button>
    </fieldset>
  );
}
