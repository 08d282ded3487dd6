import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { learningApi } from '../../api/endpoints';
import { toFormError } from '../../api/errors';
import type { Id, QuizAnswers, QuizAttempt, QuizInfo, QuizQuestion, QuizResult } from '../../api/types';
import { CertificateLinks } from '../../components/CertificateLinks';
import { FormAlert } from '../../components/FormAlert';
import { useI18n } from '../../i18n/I18nContext';

const key = (value: Id) => String(value);

/** The body of POST /attempts/{id}/submit/: every question id → the chosen option ids. */
export function buildAnswers(questions: QuizQuestion[], selected: Record<string, Id[]>): QuizAnswers {
  const answers: QuizAnswers = {};
  for (const question of questions) answers[key(question.id)] = [...(selected[key(question.id)] ?? [])];
  return answers;
}

export function attemptsRemain(info: Pick<QuizInfo, 'attempt_limit' | 'attempts_used'>): boolean {
  return info.attempt_limit === 0 || info.attempts_used < info.attempt_limit;
}

/** A quiz lesson: summary → attempt (questions) → result with per-question feedback. */
export function QuizLesson({ lessonId, quiz, onPassed }: { lessonId: Id; quiz: QuizInfo; onPassed?: () => void }) {
  const { t } = useI18n();
  const [info, setInfo] = useState<QuizInfo>(quiz);
  const [attempt, setAttempt] = useState<QuizAttempt | null>(null);
  const [selected, setSelected] = useState<Record<string, Id[]>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [error, setError] = useState('');
  const [pending, setPending] = useState(false);
  const canStart = attemptsRemain(info);

  const start = async () => {
    setPending(true);
    setError('');
    try {
      const next = await learningApi.startAttempt(lessonId);
      setAttempt(next);
      setSelected({});
      setResult(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'attempt_limit_reached') {
        setInfo((current) => ({ ...current, attempts_used: Math.max(current.attempts_used, current.attempt_limit) }));
        setError(err.message || t('quiz.limitReached'));
      } else {
        setError(toFormError(err, t).message);
      }
    } finally {
      setPending(false);
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!attempt) return;
    const unanswered = attempt.questions.filter((q) => !(selected[key(q.id)]?.length)).length;
    if (unanswered) {
      setError(t('quiz.unanswered', { count: unanswered }));
      return;
    }
    setPending(true);
    setError('');
    try {
      const outcome = await learningApi.submitAttempt(attempt.attempt_id, buildAnswers(attempt.questions, selected));
      setResult(outcome);
      // The server counts submitted attempts (starting again resumes an open one).
      setInfo((current) => ({
        ...current,
        attempts_used: current.attempts_used + 1,
        pass_mark: outcome.pass_mark ?? current.pass_mark,
        passed: current.passed || outcome.passed,
        best_score: Math.max(current.best_score ?? 0, outcome.score_percent),
      }));
      if (outcome.passed) onPassed?.();
    } catch (err) {
      setError(toFormError(err, t).message);
    } finally {
      setPending(false);
    }
  };

  const choose = (question: QuizQuestion, optionId: Id, checked: boolean) => {
    setSelected((current) => {
      const id = key(question.id);
      const before = current[id] ?? [];
      let next: Id[];
      if (question.kind === 'single') next = checked ? [optionId] : [];
      else next = checked ? [...before.filter((o) => key(o) !== key(optionId)), optionId] : before.filter((o) => key(o) !== key(optionId));
      return { ...current, [id]: next };
    });
  };

  return (
    <div className="quiz">
      <ul className="quiz-summary">
        <li>{t('quiz.passMark', { percent: info.pass_mark })}</li>
        <li>
          {info.attempt_limit === 0
            ? t('quiz.attemptsUnlimited', { used: info.attempts_used })
            : t('quiz.attempts', { used: info.attempts_used, limit: info.attempt_limit })}
        </li>
        <li>{info.best_score === null ? t('quiz.noBestScore') : t('quiz.bestScore', { percent: info.best_score })}</li>
        {info.question_count ? <li>{t('quiz.questionCount', { count: info.question_count })}</li> : null}
      </ul>
      {info.passed && !attempt ? <p className="muted">{t('quiz.alreadyPassed')}</p> : null}

      <FormAlert message={error} />

      {!attempt ? (
        canStart ? (
          <button type="button" className="btn btn-primary" onClick={start} disabled={pending}>
            {t('quiz.start')}
          </button>
        ) : (
          <p className="muted">{t('quiz.limitReached')}</p>
        )
      ) : null}

      {attempt && result ? (
        <div className="quiz-result" role="status">
          <p className={`quiz-verdict ${result.passed ? 'is-passed' : 'is-failed'}`}>
            <strong>{result.passed ? t('quiz.passed') : t('quiz.failed')}</strong>
          </p>
          <p>{t('quiz.score', { percent: result.score_percent, pass: result.pass_mark })}</p>
        </div>
      ) : null}

      {attempt ? (
        <form className="quiz-form" onSubmit={submit} noValidate aria-busy={pending}>
          {attempt.questions.map((question, index) => (
            <QuestionFieldset
              key={key(question.id)}
              index={index}
              question={question}
              selected={selected[key(question.id)] ?? []}
              onChoose={choose}
              result={result?.results.find((r) => key(r.question_id) === key(question.id)) ?? null}
              locked={result !== null || pending}
            />
          ))}
          {!result ? (
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={pending}>
                {t('quiz.submit')}
              </button>
            </div>
          ) : null}
        </form>
      ) : null}

      {result?.certificate ? (
        <div className="card quiz-certificate">
          <p>
            <strong>{t('quiz.certificate', { course: result.certificate.course_title })}</strong>
          </p>
          <CertificateLinks certificate={result.certificate} />
        </div>
      ) : null}

      {result ? (
        canStart ? (
          <button type="button" className="btn btn-secondary" onClick={start} disabled={pending}>
            {t('quiz.tryAgain')}
          </button>
        ) : (
          <p className="muted">{t('quiz.limitReached')}</p>
        )
      ) : null}
    </div>
  );
}

function QuestionFieldset({
  index,
  question,
  selected,
  onChoose,
  result,
  locked,
}: {
  index: number;
  question: QuizQuestion;
  selected: Id[];
  onChoose: (question: QuizQuestion, optionId: Id, checked: boolean) => void;
  result: QuizResult['results'][number] | null;
  locked: boolean;
}) {
  const { t } = useI18n();
  const uid = useId().replace(/[^\w-]/g, '');
  const hintId = `${uid}-hint`;
  const type = question.kind === 'single' ? 'radio' : 'checkbox';
  const correctIds = new Set((result?.correct_option_ids ?? []).map(key));
  return (
    <fieldset
      className={`quiz-question${result ? (result.correct ? ' is-correct' : ' is-incorrect') : ''}`}
      aria-describedby={hintId}
    >
      <legend>
        {index + 1}. {question.text}
      </legend>
      <p id={hintId} className="field-hint">
        {question.kind === 'single' ? t('quiz.chooseOne') : t('quiz.chooseMany')}
      </p>
      {question.options.map((option) => {
        const id = `${uid}-o${key(option.id)}`;
        const isCorrect = correctIds.has(key(option.id));
        return (
          <div key={key(option.id)} className={`choice${result && isCorrect ? ' is-correct-option' : ''}`}>
            <input
              id={id}
              type={type}
              name={`q-${uid}`}
              value={key(option.id)}
              checked={selected.some((s) => key(s) === key(option.id))}
              disabled={locked}
              onChange={(e) => onChoose(question, option.id, e.target.checked)}
            />
            <label htmlFor={id}>
              {option.text}
              {result && isCorrect ? <span className="choice-note"> — {t('quiz.correctOption')}</span> : null}
            </label>
          </div>
        );
      })}
      {result ? (
        <p className={`question-verdict ${result.correct ? 'is-correct' : 'is-incorrect'}`}>
          <span aria-hidden="true">{result.correct ? '✓ ' : '✗ '}</span>
          {result.correct ? t('quiz.correct') : t('quiz.incorrect')}
        </p>
      ) : null}
    </fieldset>
  );
}
