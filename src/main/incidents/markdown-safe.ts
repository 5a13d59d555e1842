/**
 * Report text comes from operators, runbooks and servers; a Markdown viewer would render raw HTML
 * and follow any link scheme in it. So every field is made inert before it is written: what would
 * open a tag becomes an entity, and a link survives only when it points to https: or mailto:.
 */
const allowedSchemes = /^(https:|mailto:)/i;
/** Schemes that run or embed code wherever they are rendered as links. */
const dangerousScheme = /\b(javascript|vbscript|data|file)(\s*):/gi;

export function safeMarkdown(text: string): string {
  return neutraliseSchemes(keepSafeLinks(escapeHtml(text)));
}

/** CommonMark reads raw HTML and autolinks only where `<` is followed by a letter, `/`, `!` or `?`. */
function escapeHtml(text: string): string {
  return text.replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** `[label](url)`, `![alt](url)` and `[ref]: url` keep their URL only when it is https: or mailto:. */
function keepSafeLinks(text: string): string {
  return text
    .replace(
      /(!?)\[([^\]\n]*)\]\(\s*([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)[^)\n]*\)/g,
      (whole, bang: string, label: string, url: string) => {
        if (!allowedSchemes.test(url)) return `${label} (link removed)`;
        // An image would be fetched when the report is opened: it stays a link the reader may follow.
        return bang ? `[${label}](${url})` : whole;
      },
    )
    .replace(/^(\s{0,3}\[[^\]\n]+\]:\s*)(\S+)(.*)$/gm, (whole, head: string, url: string) =>
      allowedSchemes.test(url) ? whole : `${head.trim()} (link removed)`,
    );
}

/** Whatever is left that names a code-running scheme no longer parses as one (`javascript&#58;`). */
function neutraliseSchemes(text: string): string {
  return text.replace(dangerousScheme, (_whole, scheme: string, space: string) => `${scheme}${space}&#58;`);
}
