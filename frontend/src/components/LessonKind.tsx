import type { LessonKind } from '../api/types';
import { useI18n } from '../i18n/I18nContext';

const ICONS: Record<LessonKind, string> = {
  video: '▶',
  article: '¶',
  file: '⇩',
  quiz: '?',
};

/** The kind of a lesson: a decorative icon plus its name. */
export function LessonKindLabel({ kind, iconOnly = false }: { kind: LessonKind; iconOnly?: boolean }) {
  const { t } = useI18n();
  const known = kind in ICONS;
  const name = known ? t(`kind.${kind}`) : kind;
  return (
    <span className={`lesson-kind lesson-kind-${known ? kind : 'unknown'}`}>
      <span className="lesson-kind-icon" aria-hidden="true">
        {known ? ICONS[kind] : '•'}
      </span>
      <span className={iconOnly ? 'visually-hidden' : 'lesson-kind-name'}>{name}</span>
    </span>
  );
}
