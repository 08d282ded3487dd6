/**
 * Approximations of Playwright's default (non-exact) locator semantics, to keep the labels the
 * browser tests rely on unambiguous: `get_by_text(regex)` matches the deepest elements whose
 * text matches; `get_by_label(text)` is a case-insensitive substring match on aria-labelledby
 * texts, aria-label, or the <label>s of form controls.
 */
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export function textMatches(root: Element, re: RegExp): Element[] {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'HEAD']);
  return [root, ...root.querySelectorAll('*')].filter((el) => {
    if (skip.has(el.tagName) || !re.test(el.textContent ?? '')) return false;
    return ![...el.children].some((child) => re.test(child.textContent ?? ''));
  });
}

function labelsOf(el: Element): string[] {
  const ids = el.getAttribute('aria-labelledby');
  if (ids) return ids.split(/\s+/).map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '');
  const ariaLabel = el.getAttribute('aria-label');
  if (ariaLabel && ariaLabel.trim()) return [ariaLabel];
  const labelled = el as HTMLInputElement;
  const isControl =
    ['BUTTON', 'METER', 'OUTPUT', 'PROGRESS', 'SELECT', 'TEXTAREA'].includes(el.tagName) ||
    (el.tagName === 'INPUT' && labelled.type !== 'hidden');
  return isControl && labelled.labels ? [...labelled.labels].map((label) => label.textContent ?? '') : [];
}

export function laxLabelMatches(root: Element, text: string): Element[] {
  const needle = normalise(text).toLowerCase();
  return [...root.querySelectorAll('*')].filter((el) =>
    labelsOf(el).some((label) => normalise(label).toLowerCase().includes(needle)),
  );
}
