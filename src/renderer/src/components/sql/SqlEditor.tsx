import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completeFromList,
  completionKeymap,
  type Completion,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { SqlCatalog } from '../../../../shared/contract';
import { withMirroredStyles } from '../terminal/style-mirror';

/**
 * Text typed or pasted over a selection goes into the document directly: left to the browser,
 * Chromium's editing code would first copy the replaced run's colour into an inline style
 * attribute, which the CSP refuses (and logs as a violation).
 */
const replaceSelectionInput = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.data === null || (event.inputType !== 'insertText' && event.inputType !== 'insertReplacementText'))
      return false;
    let { from, to } = view.state.selection.main;
    const dom = document.getSelection();
    // A selection made just before may not have reached the editor's state yet: take the browser's.
    if (
      from === to &&
      dom &&
      !dom.isCollapsed &&
      dom.anchorNode &&
      dom.focusNode &&
      view.contentDOM.contains(dom.anchorNode)
    ) {
      const ends = [view.posAtDOM(dom.anchorNode, dom.anchorOffset), view.posAtDOM(dom.focusNode, dom.focusOffset)];
      [from, to] = [Math.min(...ends), Math.max(...ends)];
    }
    if (from === to) return false;
    event.preventDefault();
    view.dispatch({
      changes: { from, to, insert: event.data },
      selection: { anchor: from + event.data.length },
      userEvent: event.data.length > 1 ? 'input.paste' : 'input.type',
      scrollIntoView: true,
    });
    return true;
  },
});

/** Token colours from the theme's variables (sql.css), so both themes keep their contrast. */
const sqlHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--sql-keyword)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--sql-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--sql-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--sql-comment)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--sql-type)' },
  { tag: tags.special(tags.name), color: 'var(--sql-string)' },
]);

/** The catalog as lang-sql's completion namespace: schema → table → columns (type as detail). */
export function namespaceOf(catalog: SqlCatalog | undefined): SQLNamespace {
  const namespace: Record<string, Record<string, Completion[]>> = {};
  for (const table of catalog?.tables ?? []) {
    namespace[table.schema] ??= {};
    namespace[table.schema]![table.name] = table.columns.map((c) => ({
      label: c.name,
      type: 'property',
      detail: c.type,
    }));
  }
  return namespace;
}

/** The catalog's functions as completions: built-ins unqualified, the database's own with their schema too. */
export function functionCompletions(catalog: SqlCatalog | undefined): Completion[] {
  const seen = new Set<string>();
  const options: Completion[] = [];
  for (const fn of catalog?.functions ?? []) {
    for (const label of fn.schema === 'pg_catalog' || fn.schema === 'public'
      ? [fn.name]
      : [fn.name, `${fn.schema}.${fn.name}`]) {
      if (seen.has(label)) continue;
      seen.add(label);
      options.push({ label, type: 'function', detail: fn.schema, apply: `${label}(` });
    }
  }
  return options;
}

interface Props {
  value: string;
  catalog?: SqlCatalog;
  labelledBy: string;
  onChange(text: string): void;
  onSelection(from: number, to: number): void;
  onRun(): void;
  onStream(): void;
}

/**
 * CodeMirror 6 with the PostgreSQL dialect: highlighting, completion of keywords and of the
 * connected database's schemas, tables and columns, Ctrl+Enter to run, Ctrl+Shift+Enter to open
 * in the grid. Its theme goes into a constructed style sheet (style-mirror), which the CSP allows.
 */
export function SqlEditor({ value, catalog, labelledBy, onChange, onSelection, onRun, onStream }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(undefined);
  const language = useRef(new Compartment());
  const callbacks = useRef({ onChange, onSelection, onRun, onStream });
  callbacks.current = { onChange, onSelection, onRun, onStream };
  const languageFor = (c: SqlCatalog | undefined) => [
    sql({ dialect: PostgreSQL, schema: namespaceOf(c), defaultSchema: 'public', upperCaseKeywords: true }),
    PostgreSQL.language.data.of({ autocomplete: completeFromList(functionCompletions(c)) }),
  ];

  useEffect(() => {
    const run = (stream: boolean) => () => {
      (stream ? callbacks.current.onStream : callbacks.current.onRun)();
      return true;
    };
    // style-mod writes CodeMirror's theme into a <style> element, which the CSP refuses: mirror it
    // into a constructed style sheet, as for xterm.
    view.current = withMirroredStyles(
      () =>
        new EditorView({
          parent: host.current!,
          state: EditorState.create({
            doc: value,
            extensions: [
              lineNumbers(),
              history(),
              bracketMatching(),
              closeBrackets(),
              syntaxHighlighting(sqlHighlight),
              replaceSelectionInput,
              autocompletion({ activateOnTyping: true }),
              placeholder('SELECT …'),
              keymap.of([
                { key: 'Mod-Enter', run: run(false) },
                { key: 'Shift-Mod-Enter', run: run(true) },
                ...closeBracketsKeymap,
                ...completionKeymap,
                ...historyKeymap,
                indentWithTab,
                ...defaultKeymap,
              ]),
              language.current.of(languageFor(catalog)),
              EditorView.contentAttributes.of({
                'aria-labelledby': labelledBy,
                'aria-multiline': 'true',
                role: 'textbox',
                'data-testid': 'sql-text',
              }),
              EditorView.updateListener.of((update) => {
                if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
                if (update.docChanged || update.selectionSet) {
                  const main = update.state.selection.main;
                  callbacks.current.onSelection(main.from, main.to);
                }
              }),
            ],
          }),
        }),
    );
    return () => view.current?.destroy();
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: language.current.reconfigure(languageFor(catalog)) });
  }, [catalog]);

  // Text set from outside (a template's SQL, a step sent here): replace the document. Checked in
  // the render's own commit: a passive effect can run after the next keystroke (Preact defers
  // them to the next frame), and would then put back the text of one keystroke before.
  useLayoutEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value)
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} className="sql-editor" />;
}
