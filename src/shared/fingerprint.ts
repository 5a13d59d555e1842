/** The fingerprint as published (with or without `SHA256:`, spaces, a trailing `=`) against the one presented. */
export function sameFingerprint(published: string, presented: string): boolean {
  const norm = (text: string) =>
    text
      .trim()
      .replace(/^SHA256:/i, '')
      .replace(/\s+/g, '')
      .replace(/=+$/, '');
  return norm(published) !== '' && norm(published) === norm(presented);
}
