/**
 * Leaflet preview: Markdown → HTML with marked, then sanitised with DOMPurify (a leaflet is typed by an
 * admin, but a pasted or uploaded file may carry HTML; nothing from it may run in the console). Loaded
 * only when an editor opens, so the other screens do not download it.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

// Leaflet lines such as "Hỏi cách khác: …" and "Căn cứ: …" follow the answer without a blank line:
// `breaks` keeps them on their own lines, as the bot shows them.
const marked = new Marked({ gfm: true, breaks: true, async: false });

export interface SplitMarkdown {
  /** The YAML front matter between the leading `---` lines, without them ('' when there is none). */
  frontMatter: string;
  body: string;
}

export function splitFrontMatter(markdown: string): SplitMarkdown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(markdown);
  if (!match) return { frontMatter: '', body: markdown };
  return { frontMatter: match[1] ?? '', body: markdown.slice(match[0].length) };
}

export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
