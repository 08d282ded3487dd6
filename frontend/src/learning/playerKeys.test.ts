import { describe, expect, it } from 'vitest';
import { playerKeyAction } from './playerKeys';

const key = (k: string, target: EventTarget | null = document.body, mods: Partial<KeyboardEvent> = {}) =>
  playerKeyAction({ key: k, ctrlKey: false, metaKey: false, altKey: false, target, ...mods });

describe('player shortcuts', () => {
  it('maps the keys', () => {
    expect(key(' ')).toEqual({ type: 'toggle' });
    expect(key('k')).toEqual({ type: 'toggle' });
    expect(key('j')).toEqual({ type: 'seek', delta: -10 });
    expect(key('L')).toEqual({ type: 'seek', delta: 10 });
    expect(key('ArrowLeft')).toEqual({ type: 'seek', delta: -5 });
    expect(key('ArrowRight')).toEqual({ type: 'seek', delta: 5 });
    expect(key('f')).toEqual({ type: 'fullscreen' });
    expect(key('m')).toEqual({ type: 'mute' });
    expect(key('x')).toBeNull();
  });

  it('works with the Russian layout', () => {
    expect(key('л')).toEqual({ type: 'toggle' });
    expect(key('ь')).toEqual({ type: 'mute' });
  });

  it('leaves form fields and modified keys alone', () => {
    for (const tag of ['input', 'select', 'textarea', 'button']) {
      expect(key(' ', document.createElement(tag))).toBeNull();
    }
    expect(key('k', document.body, { ctrlKey: true })).toBeNull();
    expect(key('ArrowLeft', document.createElement('video'))).toEqual({ type: 'seek', delta: -5 });
  });
});
