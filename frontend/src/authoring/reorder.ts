import type { Id, ReorderPayload } from '../api/types';

/**
 * Pure reordering of a course outline (modules with lessons). Every function
 * returns a new outline and leaves the input untouched; unknown ids or
 * impossible moves return the input as is.
 */

export interface OutlineLesson {
  id: Id;
}

export interface OutlineModule<L extends OutlineLesson = OutlineLesson> {
  id: Id;
  lessons: L[];
}

const same = (a: Id, b: Id) => String(a) === String(b);

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

export function findLesson<M extends OutlineModule>(modules: readonly M[], lessonId: Id): { moduleIndex: number; lessonIndex: number } | null {
  for (let m = 0; m < modules.length; m += 1) {
    const l = modules[m].lessons.findIndex((lesson) => same(lesson.id, lessonId));
    if (l !== -1) return { moduleIndex: m, lessonIndex: l };
  }
  return null;
}

/** Moves a module to `toIndex` (index in the list after removal). */
export function moveModule<M extends OutlineModule>(modules: readonly M[], moduleId: Id, toIndex: number): M[] {
  const from = modules.findIndex((module) => same(module.id, moduleId));
  if (from === -1) return [...modules];
  const next = [...modules];
  const [moved] = next.splice(from, 1);
  next.splice(clamp(toIndex, 0, next.length), 0, moved);
  return next;
}

/** Moves a module one place up (-1) or down (+1). */
export function moveModuleBy<M extends OutlineModule>(modules: readonly M[], moduleId: Id, delta: -1 | 1): M[] {
  const from = modules.findIndex((module) => same(module.id, moduleId));
  if (from === -1) return [...modules];
  return moveModule(modules, moduleId, from + delta);
}

/**
 * Moves a lesson into module `toModuleId` at `toIndex` (index among that
 * module's lessons after the lesson was taken out). Works within a module and
 * across modules.
 */
export function moveLesson<M extends OutlineModule>(
  modules: readonly M[],
  lessonId: Id,
  toModuleId: Id,
  toIndex: number,
): M[] {
  const at = findLesson(modules, lessonId);
  const target = modules.findIndex((module) => same(module.id, toModuleId));
  if (!at || target === -1) return [...modules];
  const next = modules.map((module) => ({ ...module, lessons: [...module.lessons] }));
  const [moved] = next[at.moduleIndex].lessons.splice(at.lessonIndex, 1);
  const lessons = next[target].lessons;
  lessons.splice(clamp(toIndex, 0, lessons.length), 0, moved);
  return next;
}

/**
 * Keyboard move: one place up/down within the module; from the first/last
 * place it continues into the end/start of the previous/next module.
 */
export function moveLessonBy<M extends OutlineModule>(modules: readonly M[], lessonId: Id, delta: -1 | 1): M[] {
  const at = findLesson(modules, lessonId);
  if (!at) return [...modules];
  const { moduleIndex, lessonIndex } = at;
  const count = modules[moduleIndex].lessons.length;
  if (delta < 0 && lessonIndex > 0) return moveLesson(modules, lessonId, modules[moduleIndex].id, lessonIndex - 1);
  if (delta > 0 && lessonIndex < count - 1) return moveLesson(modules, lessonId, modules[moduleIndex].id, lessonIndex + 1);
  if (delta < 0 && moduleIndex > 0) {
    const prev = modules[moduleIndex - 1];
    return moveLesson(modules, lessonId, prev.id, prev.lessons.length);
  }
  if (delta > 0 && moduleIndex < modules.length - 1) return moveLesson(modules, lessonId, modules[moduleIndex + 1].id, 0);
  return [...modules];
}

/** Whether a keyboard move is possible (for disabling the buttons). */
export function canMoveLesson(modules: readonly OutlineModule[], lessonId: Id, delta: -1 | 1): boolean {
  const at = findLesson(modules, lessonId);
  if (!at) return false;
  if (delta < 0) return at.lessonIndex > 0 || at.moduleIndex > 0;
  return at.lessonIndex < modules[at.moduleIndex].lessons.length - 1 || at.moduleIndex < modules.length - 1;
}

/** The body of POST /api/authoring/courses/{slug}/reorder/: the full order. */
export function reorderPayload(modules: readonly OutlineModule[]): ReorderPayload {
  return { modules: modules.map((module) => ({ id: module.id, lessons: module.lessons.map((lesson) => lesson.id) })) };
}

/** Whether two outlines have the same order (no request needed). */
export function sameOrder(a: readonly OutlineModule[], b: readonly OutlineModule[]): boolean {
  return JSON.stringify(reorderPayload(a)) === JSON.stringify(reorderPayload(b));
}

/** Renumbers `position` (1-based) after a move so the local state matches what the server will store. */
export function renumber<L extends OutlineLesson & { position?: number }, M extends OutlineModule<L> & { position?: number }>(
  modules: readonly M[],
): M[] {
  return modules.map((module, m) => ({
    ...module,
    position: m + 1,
    lessons: module.lessons.map((lesson, l) => ({ ...lesson, position: l + 1 })),
  }));
}

export type DropPlace = 'before' | 'after';

/**
 * Drag-and-drop of a lesson: onto another lesson (before/after it) or, with
 * `targetLessonId` null, onto the end of a module's list.
 */
export function dropLesson<M extends OutlineModule>(
  modules: readonly M[],
  lessonId: Id,
  targetModuleId: Id,
  targetLessonId: Id | null,
  place: DropPlace = 'before',
): M[] {
  if (targetLessonId !== null && same(targetLessonId, lessonId)) return [...modules];
  const target = modules.find((module) => same(module.id, targetModuleId));
  if (!target || !findLesson(modules, lessonId)) return [...modules];
  const remaining = target.lessons.filter((lesson) => !same(lesson.id, lessonId));
  let index = remaining.length;
  if (targetLessonId !== null) {
    const at = remaining.findIndex((lesson) => same(lesson.id, targetLessonId));
    if (at === -1) return [...modules];
    index = place === 'after' ? at + 1 : at;
  }
  return moveLesson(modules, lessonId, targetModuleId, index);
}

/** Drag-and-drop of a module before/after another module. */
export function dropModule<M extends OutlineModule>(
  modules: readonly M[],
  moduleId: Id,
  targetModuleId: Id,
  place: DropPlace = 'before',
): M[] {
  if (same(moduleId, targetModuleId)) return [...modules];
  if (!modules.some((module) => same(module.id, moduleId))) return [...modules];
  const remaining = modules.filter((module) => !same(module.id, moduleId));
  const at = remaining.findIndex((module) => same(module.id, targetModuleId));
  if (at === -1) return [...modules];
  return moveModule(modules, moduleId, place === 'after' ? at + 1 : at);
}
