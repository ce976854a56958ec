import { readdirSync, readFileSync } from 'node:fs';

/** The repository root, for reading documents and resolving the paths they name. */
export const ROOT = new URL('../../', import.meta.url);

/** Every document of the project: the README, docs/*.md and the benchmark's README. */
export const DOCUMENT_PATHS = [
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'bench/README.md',
];

interface Fence {
  language: string;
  body: string;
}

interface Heading {
  level: number;
  title: string;
  /** The anchor GitHub gives the heading (`#walkthrough-managing-an-integration`). */
  slug: string;
}

export interface Markdown {
  path: string;
  text: string;
  /** The text outside fenced code blocks (where `#` starts a heading and backticks are code). */
  prose: string;
  fences: Fence[];
  headings: Heading[];
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function githubSlug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Splits markdown into its fenced code blocks and the prose around them. */
function scan(text: string, path = 'text'): { fences: Fence[]; prose: string[] } {
  const fences: Fence[] = [];
  const prose: string[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence && !open) {
      open = { language: fence[1] ?? '', lines: [] };
    } else if (fence && open) {
      fences.push({ language: open.language, body: `${open.lines.join('\n')}\n` });
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    } else {
      prose.push(line);
    }
  }
  if (open) throw new Error(`${path}: a code fence is never closed`);
  return { fences, prose };
}

export function readMarkdown(path: string): Markdown {
  const text = readFileSync(new URL(path, ROOT), 'utf8');
  const { fences, prose } = scan(text, path);
  const headings: Heading[] = [];
  const seen = new Map<string, number>();
  for (const line of prose) {
    const heading = /^(#{1,6}) (.+)$/.exec(line);
    if (!heading) continue;
    const title = (heading[2] ?? '').trim();
    const base = githubSlug(title);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    headings.push({
      level: heading[1]?.length ?? 0,
      title,
      slug: count === 0 ? base : `${base}-${count}`,
    });
  }
  return { path, text, prose: prose.join('\n'), fences, headings };
}

/** The text under the heading `title`, up to the next heading of the same or a higher level. */
export function section(doc: Markdown, title: string): string {
  const lines = doc.text.split('\n');
  const start = lines.findIndex(
    (line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === title,
  );
  if (start < 0) throw new Error(`${doc.path} has no heading "${title}"`);
  const level = (/^#+/.exec(lines[start] ?? '')?.[0] ?? '').length;
  let inFence = false;
  let end = lines.length;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.startsWith('```')) inFence = !inFence;
    const heading = /^(#+) /.exec(line);
    if (!inFence && heading && (heading[1]?.length ?? 0) <= level) {
      end = index;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

/** The bodies of the fenced blocks of `language` in `text` (`''` for blocks without one). */
export function codeBlocks(text: string, language: string): string[] {
  return scan(text)
    .fences.filter((fence) => fence.language === language)
    .map((fence) => fence.body);
}

/** Prose with its line breaks folded, so a quoted sentence can be found whatever its wrapping. */
export const folded = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** The inline code spans of a document's prose (a span may wrap across lines), unquoted. */
export function inlineCode(doc: Markdown): string[] {
  return [...folded(doc.prose).matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
}
