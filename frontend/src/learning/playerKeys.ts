export type PlayerAction =
  | { type: 'toggle' }
  | { type: 'seek'; delta: number }
  | { type: 'fullscreen' }
  | { type: 'mute' };

const FORM_TAGS = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'OPTION']);

/** True when the keyboard focus is in a form field (where keys keep their usual meaning). */
export function isFormField(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const element = target as HTMLElement;
  if (FORM_TAGS.has(element.tagName)) return true;
  if (element.isContentEditable) return true;
  return Boolean(element.closest?.('[contenteditable="true"]'));
}

/**
 * Player shortcuts: Space/K play-pause, J/L −/+10 s, ←/→ −/+5 s, F fullscreen, M mute.
 * Returns null when the key is not a shortcut here (modifier held, focus in a form field).
 */
export function playerKeyAction(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>,
): PlayerAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isFormField(event.target)) return null;
  switch (event.key) {
    case ' ':
    case 'Spacebar':
    case 'k':
    case 'K':
    case 'л':
    case 'Л':
      return { type: 'toggle' };
    case 'j':
    case 'J':
    case 'о':
    case 'О':
      return { type: 'seek', delta: -10 };
    case 'l':
    case 'L':
    case 'д':
    case 'Д':
      return { type: 'seek', delta: 10 };
    case 'ArrowLeft':
      return { type: 'seek', delta: -5 };
    case 'ArrowRight':
      return { type: 'seek', delta: 5 };
    case 'f':
    case 'F':
    case 'а':
    case 'А':
      return { type: 'fullscreen' };
    case 'm':
    case 'M':
    case 'ь':
    case 'Ь':
      return { type: 'mute' };
    default:
      return null;
  }
}

export const PLAYBACK_RATES = [0.75, 1, 1.25, 1.5, 2] as const;
