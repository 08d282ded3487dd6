import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { authoringApi } from '../../api/endpoints';
import { toFormError } from '../../api/errors';
import { LESSON_KINDS, type AuthoringLesson, type AuthoringModule, type Id, type LessonKind } from '../../api/types';
import {
  canMoveLesson,
  dropLesson,
  dropModule,
  findLesson,
  moveLessonBy,
  moveModuleBy,
  renumber,
  reorderPayload,
  sameOrder,
  type DropPlace,
} from '../../authoring/reorder';
import { Field } from '../../components/Field';
import { FormAlert } from '../../components/FormAlert';
import { SelectField } from '../../components/FormControls';
import { LessonKindLabel } from '../../components/LessonKind';
import { useI18n } from '../../i18n/I18nContext';
import { LessonEditor } from './LessonEditor';

type Dragged = { type: 'module' | 'lesson'; id: Id };
type DropHint = { type: 'module' | 'lesson'; id: Id; place: DropPlace } | null;

const same = (a: Id, b: Id) => String(a) === String(b);

function dropPlace(event: DragEvent<HTMLElement>): DropPlace {
  const rect = event.currentTarget.getBoundingClientRect();
  return event.clientY < rect.top + rect.height / 2 ? 'before' : 'after';
}

function normalise(modules: AuthoringModule[]): AuthoringModule[] {
  return modules.map((module) => ({ ...module, lessons: module.lessons ?? [] }));
}

/**
 * Modules and lessons of a course: add, rename, delete, edit lessons in
 * place, and reorder by drag and drop or the "Move up"/"Move down" buttons
 * (each reorder POSTs the full order).
 */
export function CourseOutline({ slug, initialModules }: { slug: string; initialModules: AuthoringModule[] }) {
  const { t } = useI18n();
  const [modules, setModules] = useState<AuthoringModule[]>(() => normalise(initialModules));
  const [openLesson, setOpenLesson] = useState<Id | null>(null);
  const [error, setError] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [hint, setHint] = useState<DropHint>(null);
  const dragged = useRef<Dragged | null>(null);
  const focusKey = useRef<string | null>(null);
  const modulesRef = useRef(modules);
  modulesRef.current = modules;
  // Reorders are sent one after another so the server ends with the last order.
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  // Keep keyboard focus on the moved item's button after it moved in the DOM.
  useEffect(() => {
    const key = focusKey.current;
    if (!key) return;
    focusKey.current = null;
    const [base, dir] = [key.replace(/-(up|down)$/, ''), key.endsWith('-up') ? 'up' : 'down'];
    const button = document.querySelector<HTMLButtonElement>(`[data-focus-key="${key}"]`);
    const other = document.querySelector<HTMLButtonElement>(`[data-focus-key="${base}-${dir === 'up' ? 'down' : 'up'}"]`);
    if (button && !button.disabled) button.focus();
    else other?.focus();
  }, [modules]);

  const commitOrder = (next: AuthoringModule[], message: string) => {
    const previous = modulesRef.current;
    if (sameOrder(previous, next)) return;
    const ordered = renumber(next);
    setModules(ordered);
    setAnnouncement(message);
    setError('');
    const payload = reorderPayload(ordered);
    queue.current = queue.current
      .catch(() => undefined)
      .then(() => authoringApi.reorder(slug, payload))
      .catch((err: unknown) => {
        setModules(previous);
        setError(toFormError(err, t).message);
      });
  };

  const lessonMoved = (next: AuthoringModule[], lessonId: Id) => {
    const at = findLesson(next, lessonId);
    if (!at) return '';
    const module = next[at.moduleIndex];
    return t('authoring.moved', { title: module.lessons[at.lessonIndex].title, position: at.lessonIndex + 1, module: module.title });
  };
  const moduleMoved = (next: AuthoringModule[], moduleId: Id) => {
    const index = next.findIndex((m) => same(m.id, moduleId));
    return index === -1 ? '' : t('authoring.moduleMoved', { title: next[index].title, position: index + 1 });
  };

  const moveLessonKey = (lessonId: Id, delta: -1 | 1) => {
    const next = moveLessonBy(modules, lessonId, delta);
    focusKey.current = `lesson-${lessonId}-${delta < 0 ? 'up' : 'down'}`;
    commitOrder(next, lessonMoved(next, lessonId));
  };
  const moveModuleKey = (moduleId: Id, delta: -1 | 1) => {
    const next = moveModuleBy(modules, moduleId, delta);
    focusKey.current = `module-${moduleId}-${delta < 0 ? 'up' : 'down'}`;
    commitOrder(next, moduleMoved(next, moduleId));
  };

  // --- drag and drop ---------------------------------------------------------
  const startDrag = (event: DragEvent<HTMLElement>, item: Dragged) => {
    dragged.current = item;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', `${item.type}:${item.id}`);
    event.stopPropagation();
  };
  const endDrag = () => {
    dragged.current = null;
    setHint(null);
  };
  const overLesson = (event: DragEvent<HTMLElement>, lesson: AuthoringLesson) => {
    if (dragged.current?.type !== 'lesson') return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'move';
    const place = dropPlace(event);
    if (!hint || hint.type !== 'lesson' || !same(hint.id, lesson.id) || hint.place !== place) setHint({ type: 'lesson', id: lesson.id, place });
  };
  const dropOnLesson = (event: DragEvent<HTMLElement>, module: AuthoringModule, lesson: AuthoringLesson) => {
    const item = dragged.current;
    if (item?.type !== 'lesson') return;
    event.preventDefault();
    event.stopPropagation();
    const next = dropLesson(modules, item.id, module.id, lesson.id, dropPlace(event));
    endDrag();
    commitOrder(next, lessonMoved(next, item.id));
  };
  const overModule = (event: DragEvent<HTMLElement>, module: AuthoringModule) => {
    const item = dragged.current;
    if (!item) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    // A lesson dropped on a module (outside its lesson rows) goes to the end of that module.
    const place = item.type === 'module' ? dropPlace(event) : 'after';
    if (!hint || hint.type !== 'module' || !same(hint.id, module.id) || hint.place !== place) setHint({ type: 'module', id: module.id, place });
  };
  const dropOnModule = (event: DragEvent<HTMLElement>, module: AuthoringModule) => {
    const item = dragged.current;
    if (!item) return;
    event.preventDefault();
    if (item.type === 'module') {
      const next = dropModule(modules, item.id, module.id, dropPlace(event));
      endDrag();
      commitOrder(next, moduleMoved(next, item.id));
    } else {
      const next = dropLesson(modules, item.id, module.id, null);
      endDrag();
      commitOrder(next, lessonMoved(next, item.id));
    }
  };

  // --- structure edits ---------------------------------------------------------
  const addModule = async (title: string) => {
    const created = await authoringApi.addModule(slug, title);
    setModules((current) => [...current, { ...created, lessons: created.lessons ?? [] }]);
  };
  const renameModule = async (module: AuthoringModule, title: string) => {
    const updated = await authoringApi.updateModule(module.id, title);
    setModules((current) => current.map((m) => (same(m.id, module.id) ? { ...m, title: updated?.title ?? title } : m)));
  };
  const deleteModule = async (module: AuthoringModule) => {
    setError('');
    try {
      await authoringApi.deleteModule(module.id);
      setModules((current) => current.filter((m) => !same(m.id, module.id)));
    } catch (err) {
      setError(toFormError(err, t).message);
    }
  };
  const addLesson = async (module: AuthoringModule, title: string, kind: LessonKind) => {
    const created = await authoringApi.addLesson(module.id, { title, kind });
    setModules((current) =>
      current.map((m) => (same(m.id, module.id) ? { ...m, lessons: [...m.lessons, created] } : m)),
    );
    setOpenLesson(created.id);
  };
  const replaceLesson = (lesson: AuthoringLesson) =>
    setModules((current) =>
      current.map((m) => ({ ...m, lessons: m.lessons.map((l) => (same(l.id, lesson.id) ? lesson : l)) })),
    );
  const removeLesson = (lesson: AuthoringLesson) => {
    setModules((current) => current.map((m) => ({ ...m, lessons: m.lessons.filter((l) => !same(l.id, lesson.id)) })));
    setOpenLesson(null);
  };

  return (
    <section className="outline" aria-labelledby="outline-heading">
      <h2 id="outline-heading">{t('authoring.modules')}</h2>
      <p className="muted">{t('authoring.reorderHint')}</p>
      <FormAlert message={error} />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {modules.length === 0 ? <p className="muted">{t('authoring.noModules')}</p> : null}
      <ol className="outline-modules">
        {modules.map((module, moduleIndex) => (
          <ModuleItem
            key={String(module.id)}
            module={module}
            index={moduleIndex}
            count={modules.length}
            hint={hint}
            onDragOver={(e) => overModule(e, module)}
            onDrop={(e) => dropOnModule(e, module)}
            onDragStart={(e) => startDrag(e, { type: 'module', id: module.id })}
            onDragEnd={endDrag}
            onMove={(delta) => moveModuleKey(module.id, delta)}
            onRename={(title) => renameModule(module, title)}
            onDelete={() => deleteModule(module)}
            onAddLesson={(title, kind) => addLesson(module, title, kind)}
          >
            {module.lessons.map((lesson) => {
              const open = openLesson !== null && same(openLesson, lesson.id);
              const editorId = `lesson-editor-${lesson.id}`;
              const dropClass =
                hint && hint.type === 'lesson' && same(hint.id, lesson.id) ? ` is-drop-${hint.place}` : '';
              return (
                <li
                  key={String(lesson.id)}
                  className={`outline-lesson${open ? ' is-open' : ''}${dropClass}`}
                  aria-label={lesson.title}
                  onDragOver={(e) => overLesson(e, lesson)}
                  onDrop={(e) => dropOnLesson(e, module, lesson)}
                >
                  <div className="outline-row">
                    <span
                      className="drag-handle"
                      draggable
                      title={t('authoring.drag')}
                      aria-hidden="true"
                      onDragStart={(e) => startDrag(e, { type: 'lesson', id: lesson.id })}
                      onDragEnd={endDrag}
                    >
                      ⠿
                    </span>
                    <LessonKindLabel kind={lesson.kind} iconOnly />
                    <span className="outline-title">{lesson.title}</span>
                    {lesson.is_free_preview ? <span className="badge badge-preview">{t('course.preview')}</span> : null}
                    <span className="outline-actions">
                      <button
                        type="button"
                        className="btn btn-secondary btn-small btn-icon"
                        aria-label={t('authoring.moveUp')}
                        data-focus-key={`lesson-${lesson.id}-up`}
                        disabled={!canMoveLesson(modules, lesson.id, -1)}
                        onClick={() => moveLessonKey(lesson.id, -1)}
                      >
                        <span aria-hidden="true">↑</span>
                      </button>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small btn-icon"
                        aria-label={t('authoring.moveDown')}
                        data-focus-key={`lesson-${lesson.id}-down`}
                        disabled={!canMoveLesson(modules, lesson.id, 1)}
                        onClick={() => moveLessonKey(lesson.id, 1)}
                      >
                        <span aria-hidden="true">↓</span>
                      </button>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        aria-expanded={open}
                        aria-controls={open ? editorId : undefined}
                        onClick={() => setOpenLesson(open ? null : lesson.id)}
                      >
                        {open ? t('authoring.close') : t('authoring.edit')}
                      </button>
                    </span>
                  </div>
                  {open ? (
                    <LessonEditor id={editorId} lesson={lesson} onSaved={replaceLesson} onDeleted={removeLesson} />
                  ) : null}
                </li>
              );
            })}
          </ModuleItem>
        ))}
      </ol>
      <AddForm
        label={t('field.moduleTitle')}
        button={t('authoring.addModule')}
        onAdd={(title) => addModule(title)}
        className="add-module"
      />
    </section>
  );
}

function ModuleItem({
  module,
  index,
  count,
  hint,
  children,
  onDragOver,
  onDrop,
  onDragStart,
  onDragEnd,
  onMove,
  onRename,
  onDelete,
  onAddLesson,
}: {
  module: AuthoringModule;
  index: number;
  count: number;
  hint: DropHint;
  children: ReactNode;
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
  onDragStart: (event: DragEvent<HTMLElement>) => void;
  onDragEnd: () => void;
  onMove: (delta: -1 | 1) => void;
  onRename: (title: string) => Promise<void>;
  onDelete: () => void;
  onAddLesson: (title: string, kind: LessonKind) => Promise<void>;
}) {
  const { t } = useI18n();
  const headingId = `module-${useId().replace(/[^\w-]/g, '')}`;
  const [renaming, setRenaming] = useState(false);
  const dropClass = hint && hint.type === 'module' && same(hint.id, module.id) ? ` is-drop-${hint.place}` : '';
  return (
    <li className={`outline-module${dropClass}`} onDragOver={onDragOver} onDrop={onDrop}>
      <section className="card" aria-labelledby={headingId}>
        <div className="outline-row outline-module-head">
          <span
            className="drag-handle"
            draggable
            title={t('authoring.drag')}
            aria-hidden="true"
            onDragStart={onDragStart}
            onDragEnd={onDragEnd}
          >
            ⠿
          </span>
          <h3 id={headingId} className="outline-title">
            {module.title}
          </h3>
          <span className="outline-actions">
            <button
              type="button"
              className="btn btn-secondary btn-small btn-icon"
              aria-label={t('authoring.moveUp')}
              data-focus-key={`module-${module.id}-up`}
              disabled={index === 0}
              onClick={() => onMove(-1)}
            >
              <span aria-hidden="true">↑</span>
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-small btn-icon"
              aria-label={t('authoring.moveDown')}
              data-focus-key={`module-${module.id}-down`}
              disabled={index === count - 1}
              onClick={() => onMove(1)}
            >
              <span aria-hidden="true">↓</span>
            </button>
            <button type="button" className="btn btn-secondary btn-small" aria-expanded={renaming} onClick={() => setRenaming((r) => !r)}>
              {t('authoring.rename')}
            </button>
            <button type="button" className="btn btn-danger btn-small" onClick={onDelete}>
              {t('authoring.deleteModule')}
            </button>
          </span>
        </div>
        {renaming ? (
          <AddForm
            label={t('field.moduleName')}
            button={t('action.save')}
            initial={module.title}
            onAdd={async (title) => {
              await onRename(title);
              setRenaming(false);
            }}
          />
        ) : null}
        {module.lessons.length ? <ol className="outline-lessons">{children}</ol> : <p className="muted">{t('authoring.noLessons')}</p>}
        <AddForm
          label={t('field.lessonTitle')}
          button={t('authoring.addLesson')}
          withKind
          onAdd={(title, kind) => onAddLesson(title, kind ?? 'video')}
          className="add-lesson"
        />
      </section>
    </li>
  );
}

/** A one-line "title (+ kind) + button" form: add module, add lesson, rename module. */
function AddForm({
  label,
  button,
  onAdd,
  withKind = false,
  initial = '',
  className,
}: {
  label: string;
  button: string;
  onAdd: (title: string, kind?: LessonKind) => Promise<void>;
  withKind?: boolean;
  initial?: string;
  className?: string;
}) {
  const { t } = useI18n();
  const [title, setTitle] = useState(initial);
  const [kind, setKind] = useState<LessonKind>('video');
  const [error, setError] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!title.trim()) {
      setFieldError([t('error.required')]);
      return;
    }
    setPending(true);
    setError('');
    setFieldError(undefined);
    try {
      await onAdd(title.trim(), withKind ? kind : undefined);
      setTitle(initial ? title.trim() : '');
    } catch (err) {
      const formError = toFormError(err, t, ['title', 'kind']);
      setError(formError.message);
      setFieldError(formError.fields.title ?? formError.fields.kind);
    } finally {
      setPending(false);
    }
  };

  return (
    <form className={`inline-form${className ? ` ${className}` : ''}`} onSubmit={onSubmit} noValidate aria-busy={pending}>
      <FormAlert message={error} />
      <Field label={label} value={title} autoComplete="off" onChange={(e) => setTitle(e.target.value)} errors={fieldError} />
      {withKind ? (
        <SelectField
          label={t('field.lessonKind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as LessonKind)}
          options={LESSON_KINDS.map((value) => [value, t(`kind.${value}`)] as const)}
        />
      ) : null}
      <button type="submit" className="btn btn-secondary" disabled={pending}>
        {button}
      </button>
    </form>
  );
}
