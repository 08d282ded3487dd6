import type { QuizSpec, QuizSpecQuestion } from '../api/types';

export const DEFAULT_PASS_MARK = 70;

export function blankQuestion(): QuizSpecQuestion {
  return {
    text: '',
    kind: 'single',
    options: [
      { text: '', is_correct: true },
      { text: '', is_correct: false },
    ],
  };
}

/** The editor's starting point: the lesson's quiz or a fresh one with one question. */
export function quizFromLesson(quiz: QuizSpec | null | undefined): QuizSpec {
  if (!quiz) return { pass_mark: DEFAULT_PASS_MARK, attempt_limit: 0, shuffle: false, questions: [blankQuestion()] };
  return {
    pass_mark: quiz.pass_mark ?? DEFAULT_PASS_MARK,
    attempt_limit: quiz.attempt_limit ?? 0,
    shuffle: Boolean(quiz.shuffle),
    questions: quiz.questions?.length ? quiz.questions.map((q) => ({
      text: q.text ?? '',
      kind: q.kind === 'multiple' ? 'multiple' : 'single',
      options: (q.options ?? []).map((o) => ({ text: o.text ?? '', is_correct: Boolean(o.is_correct) })),
    })) : [blankQuestion()],
  };
}

/** A question nobody started filling in (left out when saving). */
export function isBlankQuestion(question: QuizSpecQuestion): boolean {
  return !question.text.trim() && question.options.every((o) => !o.text.trim());
}

/** Question indexes named by server errors such as `quiz.questions.2`. */
export function questionIndexesFromErrors(fields: Record<string, unknown>): number[] {
  const out: number[] = [];
  for (const key of Object.keys(fields)) {
    const match = /^quiz\.questions\.(\d+)/.exec(key);
    if (match) out.push(Number(match[1]));
  }
  return out;
}

/** Indexes (0-based) of questions that cannot be saved as they are. */
export function invalidQuestions(quiz: QuizSpec): number[] {
  const bad: number[] = [];
  quiz.questions.forEach((question, index) => {
    const options = question.options.filter((o) => o.text.trim());
    const correct = question.options.filter((o) => o.is_correct).length;
    const ok =
      question.text.trim() !== '' &&
      options.length >= 2 &&
      options.length === question.options.length &&
      correct >= 1 &&
      (question.kind === 'multiple' || correct === 1);
    if (!ok) bad.push(index);
  });
  return bad;
}

/** The `quiz` of PATCH /api/authoring/lessons/{id}/ (replaced whole; trimmed texts). */
export function quizPayload(quiz: QuizSpec): QuizSpec {
  return {
    pass_mark: quiz.pass_mark,
    attempt_limit: quiz.attempt_limit,
    shuffle: quiz.shuffle,
    questions: quiz.questions.map((q) => ({
      text: q.text.trim(),
      kind: q.kind,
      options: q.options.map((o) => ({ text: o.text.trim(), is_correct: o.is_correct })),
    })),
  };
}
