import { describe, expect, it } from 'vitest';
import {
  canMoveLesson,
  dropLesson,
  dropModule,
  moveLesson,
  moveLessonBy,
  moveModule,
  moveModuleBy,
  renumber,
  reorderPayload,
  sameOrder,
} from './reorder';

const outline = () => [
  { id: 1, title: 'Basics', lessons: [{ id: 11 }, { id: 12 }, { id: 13 }] },
  { id: 2, title: 'Patterns', lessons: [{ id: 21 }] },
  { id: 3, title: 'Empty', lessons: [] as Array<{ id: number }> },
];

describe('reorder payload', () => {
  it('lists every module with its lesson ids in order', () => {
    expect(reorderPayload(outline())).toEqual({
      modules: [
        { id: 1, lessons: [11, 12, 13] },
        { id: 2, lessons: [21] },
        { id: 3, lessons: [] },
      ],
    });
  });

  it('moves a lesson within its module', () => {
    const before = outline();
    const after = moveLesson(before, 13, 1, 0);
    expect(reorderPayload(after).modules[0]).toEqual({ id: 1, lessons: [13, 11, 12] });
    // The input is untouched.
    expect(reorderPayload(before).modules[0].lessons).toEqual([11, 12, 13]);
  });

  it('moves a lesson across modules (including into an empty one)', () => {
    const once = moveLesson(outline(), 12, 2, 0);
    expect(reorderPayload(once)).toEqual({
      modules: [
        { id: 1, lessons: [11, 13] },
        { id: 2, lessons: [12, 21] },
        { id: 3, lessons: [] },
      ],
    });
    const twice = moveLesson(once, 11, 3, 5);
    expect(reorderPayload(twice).modules.map((m) => m.lessons)).toEqual([[13], [12, 21], [11]]);
  });

  it('moves modules', () => {
    expect(reorderPayload(moveModule(outline(), 3, 0)).modules.map((m) => m.id)).toEqual([3, 1, 2]);
    expect(reorderPayload(moveModuleBy(outline(), 1, 1)).modules.map((m) => m.id)).toEqual([2, 1, 3]);
    expect(reorderPayload(moveModuleBy(outline(), 1, -1)).modules.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('ignores unknown ids', () => {
    expect(sameOrder(moveLesson(outline(), 99, 1, 0), outline())).toBe(true);
    expect(sameOrder(moveLesson(outline(), 11, 99, 0), outline())).toBe(true);
    expect(sameOrder(moveModule(outline(), 99, 0), outline())).toBe(true);
  });
});

describe('keyboard moves (Move up / Move down)', () => {
  it('steps within a module', () => {
    expect(reorderPayload(moveLessonBy(outline(), 12, -1)).modules[0].lessons).toEqual([12, 11, 13]);
    expect(reorderPayload(moveLessonBy(outline(), 12, 1)).modules[0].lessons).toEqual([11, 13, 12]);
  });

  it('crosses into the neighbouring module at the edges', () => {
    const down = moveLessonBy(outline(), 13, 1);
    expect(reorderPayload(down).modules.map((m) => m.lessons)).toEqual([[11, 12], [13, 21], []]);
    const up = moveLessonBy(outline(), 21, -1);
    expect(reorderPayload(up).modules.map((m) => m.lessons)).toEqual([[11, 12, 13, 21], [], []]);
    const intoEmpty = moveLessonBy(outline(), 21, 1);
    expect(reorderPayload(intoEmpty).modules.map((m) => m.lessons)).toEqual([[11, 12, 13], [], [21]]);
  });

  it('knows when a move is impossible', () => {
    expect(canMoveLesson(outline(), 11, -1)).toBe(false);
    expect(canMoveLesson(outline(), 11, 1)).toBe(true);
    expect(canMoveLesson(outline(), 21, 1)).toBe(true);
    const last = [{ id: 1, lessons: [{ id: 5 }] }];
    expect(canMoveLesson(last, 5, 1)).toBe(false);
    expect(sameOrder(moveLessonBy(last, 5, 1), last)).toBe(true);
  });
});

describe('drag and drop', () => {
  it('drops a lesson before/after another lesson, in the same or another module', () => {
    expect(reorderPayload(dropLesson(outline(), 11, 1, 13, 'after')).modules[0].lessons).toEqual([12, 13, 11]);
    expect(reorderPayload(dropLesson(outline(), 13, 1, 11, 'before')).modules[0].lessons).toEqual([13, 11, 12]);
    expect(reorderPayload(dropLesson(outline(), 11, 1, 12, 'before')).modules[0].lessons).toEqual([11, 12, 13]);
    const across = dropLesson(outline(), 12, 2, 21, 'before');
    expect(reorderPayload(across).modules.map((m) => m.lessons)).toEqual([[11, 13], [12, 21], []]);
  });

  it('drops a lesson at the end of a module', () => {
    const moved = dropLesson(outline(), 11, 3, null);
    expect(reorderPayload(moved).modules.map((m) => m.lessons)).toEqual([[12, 13], [21], [11]]);
  });

  it('dropping a lesson on itself changes nothing', () => {
    expect(sameOrder(dropLesson(outline(), 12, 1, 12, 'after'), outline())).toBe(true);
  });

  it('drops modules before/after each other', () => {
    expect(reorderPayload(dropModule(outline(), 1, 3, 'after')).modules.map((m) => m.id)).toEqual([2, 3, 1]);
    expect(reorderPayload(dropModule(outline(), 3, 1, 'before')).modules.map((m) => m.id)).toEqual([3, 1, 2]);
    expect(reorderPayload(dropModule(outline(), 2, 2, 'before')).modules.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('renumbers positions from 1', () => {
    const numbered = renumber(moveLesson(outline().map((m) => ({ ...m, position: 0, lessons: m.lessons.map((l) => ({ ...l, position: 0 })) })), 21, 1, 0));
    expect(numbered.map((m) => m.position)).toEqual([1, 2, 3]);
    expect(numbered[0].lessons.map((l) => [l.id, l.position])).toEqual([
      [21, 1],
      [11, 2],
      [12, 3],
      [13, 4],
    ]);
  });
});
