/**
 * Saves a fetched file: an object URL on a temporary <a download> that is clicked and removed.
 * (Authenticated downloads cannot be plain links: the access token lives in memory only.)
 */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the URL only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
