/**
 * xterm.js writes some of its styles into <style> elements it creates (scrollbar colours, the
 * DOM renderer's cell sizes and palette). The renderer's CSP (style-src 'self', no
 * 'unsafe-inline') refuses inline style elements. Instead of weakening the CSP, a <style> asked
 * for while a terminal is built is an inert element whose text goes into a constructed style
 * sheet (document.adoptedStyleSheets), which the CSP does not govern; xterm keeps updating its
 * text through textContent / innerText, and the sheet follows.
 */
class MirroredStyle extends HTMLElement {
  readonly #sheet = new CSSStyleSheet();
  #text = '';

  connectedCallback(): void {
    if (!document.adoptedStyleSheets.includes(this.#sheet))
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.#sheet];
  }

  disconnectedCallback(): void {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== this.#sheet);
  }

  override get textContent(): string {
    return this.#text;
  }

  override set textContent(text: string | null) {
    this.#text = text ?? '';
    try {
      this.#sheet.replaceSync(this.#text);
    } catch {
      // a rule this browser does not understand: keep the previous sheet
    }
  }

  override get innerText(): string {
    return this.#text;
  }

  override set innerText(text: string) {
    this.textContent = text;
  }
}

const tagName = 'ops-mirrored-style';
let depth = 0;
let original: Document['createElement'] | undefined;

/** Runs `build` with <style> elements created as mirrored ones (re-entrant). */
export function withMirroredStyles<T>(build: () => T): T {
  if (!customElements.get(tagName)) customElements.define(tagName, MirroredStyle);
  if (depth++ === 0) {
    original = Document.prototype.createElement;
    const create = original;
    Document.prototype.createElement = function (this: Document, name: string, options?: ElementCreationOptions) {
      return create.call(this, name.toLowerCase() === 'style' ? tagName : name, options);
    } as Document['createElement'];
  }
  try {
    return build();
  } finally {
    if (--depth === 0 && original) Document.prototype.createElement = original;
  }
}

let scriptedStylesOn = false;

/**
 * xterm's DOM renderer also writes `style` attributes on the cells (spans) it draws (the selection's
 * background, 24-bit colours) with setAttribute, which the CSP refuses (style-src-attr): the colour
 * was lost and each cell logged a violation. Set from script, a style attribute means what the
 * element's CSSOM style means, which the CSP allows and any script can set anyway; so on spans
 * only (xterm's cells; React sets styles through the CSSOM already), setAttribute('style', …)
 * writes through the CSSOM. Style attributes in parsed markup stay refused.
 */
export function scriptedStyleAttributes(): void {
  if (scriptedStylesOn) return;
  scriptedStylesOn = true;
  const set = Element.prototype.setAttribute;
  HTMLSpanElement.prototype.setAttribute = function (this: HTMLSpanElement, name: string, value: string) {
    if (name.toLowerCase() === 'style') this.style.cssText = value;
    else set.call(this, name, value);
  };
}
