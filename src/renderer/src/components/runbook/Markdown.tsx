import { useApp } from '../../store';
import MarkdownIt from 'markdown-it';
import { useMemo, type MouseEvent } from 'react';

/**
 * Runbook prose as HTML: raw HTML in the markdown is shown as text (html: false), images and
 * tables are off (tables come as their own blocks; images would load remote content), and only
 * https links survive; a click asks before opening it in the system browser.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable(['image', 'table']);
md.validateLink = (url: string) => /^https:\/\//i.test(url.trim());
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string, inline = false): string {
  return inline ? md.renderInline(text) : md.render(text);
}

export function Markdown({ text, inline = false, className }: { text: string; inline?: boolean; className?: string }) {
  const html = useMemo(() => renderMarkdown(text, inline), [text, inline]);
  const onClick = (e: MouseEvent<HTMLElement>) => {
    const link = (e.target as HTMLElement).closest('a');
    if (!link) return;
    e.preventDefault();
    const href = link.getAttribute('href');
    if (href && /^https:\/\//i.test(href)) useApp.getState().terminalLinkClicked?.(href);
  };
  // The HTML comes from markdown-it with html:false and an https-only link filter: no raw HTML gets through.
  if (inline) return <span className={className} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
  return <div className={className ?? 'runbook-prose'} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
