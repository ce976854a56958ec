import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import {
  DOCUMENT_PATHS,
  inlineCode,
  type Markdown,
  ROOT,
  readMarkdown,
  section,
} from './support/markdown.js';

// What the README and docs/ refer to exists: the files and headings they link to, the paths and
// scripts they name, the fields of their inline GraphQL, the defaults of their limits table.
const DOCUMENTS = DOCUMENT_PATHS.map(readMarkdown);
const exists = (path: string) => existsSync(new URL(path, ROOT));

/** `target` of a link in `from`, as a path from the repository root (`docs/admins.md`). */
function resolve(from: string, target: string): string {
  const url = new URL(target, new URL(from, 'file:///repo/'));
  return decodeURIComponent(url.pathname.replace(/^\/repo\//, ''));
}

function links(doc: Markdown): { target: string; file: string; anchor: string | undefined }[] {
  return [...doc.prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [path = '', anchor] = target.split('#');
      return { target, file: path === '' ? doc.path : resolve(doc.path, path), anchor };
    });
}

describe('links between the README and docs/', () => {
  it('are there (the README links to every document)', () => {
    const fromReadme = new Set(links(readMarkdown('README.md')).map((link) => link.file));

    expect(DOCUMENT_PATHS.filter((path) => path !== 'README.md' && !fromReadme.has(path))).toEqual(
      [],
    );
  });

  it.each(DOCUMENT_PATHS)('in %s lead to files and headings that exist', (path) => {
    const broken = links(readMarkdown(path)).filter(({ file, anchor }) => {
      if (!exists(file)) return true;
      if (anchor === undefined) return false;
      if (!file.endsWith('.md')) return true;
      return !readMarkdown(file).headings.some((heading) => heading.slug === anchor);
    });

    expect(broken.map((link) => link.target)).toEqual([]);
  });
});

describe('what the documents name', () => {
  it('repository paths in inline code exist', () => {
    const named = DOCUMENTS.flatMap((doc) =>
      inlineCode(doc)
        .filter((code) =>
          /^(src|test|bench|docs|drizzle|schema|patches|\.ci)\/[\w./+-]*$/.test(code),
        )
        .map((path) => `${doc.path}: ${path}`),
    );

    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((entry) => !exists(entry.split(': ')[1] ?? ''))).toEqual([]);
  });

  it('npm scripts exist in package.json', () => {
    const scripts = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).scripts;
    const named = DOCUMENTS.flatMap((doc) =>
      [...doc.text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] as string),
    );

    expect(named.length).toBeGreaterThan(10);
    expect([...new Set(named)].filter((name) => !(name in scripts))).toEqual([]);
  });

  it('inline GraphQL documents are valid against schema/schema.graphql', () => {
    const schema = buildSchema(readFileSync(new URL('schema/schema.graphql', ROOT), 'utf8'));
    const inline = DOCUMENTS.flatMap((doc) =>
      inlineCode(doc)
        .filter((code) => /^((query|mutation)\b[^{]*)?\{\s*[a-z]/i.test(code))
        .map((code) => ({ where: `${doc.path}: ${code}`, code })),
    );

    const invalid = inline
      .map(({ where, code }) => ({ where, errors: validate(schema, parse(code)).map(String) }))
      .filter(({ errors }) => errors.length > 0);

    expect(inline.length).toBeGreaterThan(3);
    expect(invalid).toEqual([]);
  });

  it('the ACL table of docs/data-plane.md names the resource each field description requires', () => {
    const schema = buildSchema(readFileSync(new URL('schema/schema.graphql', ROOT), 'utf8'));
    const descriptionOf = (name: string) => {
      const [typeName, fieldName] = name.includes('.') ? name.split('.') : [undefined, name];
      const types = typeName ? [typeName] : ['Query', 'Mutation'];
      const field = types
        .map((type) => schema.getType(type))
        .map((type) =>
          type && 'getFields' in type ? type.getFields()[fieldName ?? ''] : undefined,
        )
        .find(Boolean);
      return field?.description ?? `no field ${name}`;
    };
    const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    const rows = section(readMarkdown('docs/data-plane.md'), 'Who may read what')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const claims = rows.flatMap(([, fields = '', resources = '']) => {
      const resourceGroups = resources.split(' / ').map(ticked);
      return fields
        .split(' / ')
        .flatMap((group, index) =>
          ticked(group).map((field) => ({ field, resource: resourceGroups[index]?.[0] ?? '' })),
        );
    });

    const wrong = claims.filter(
      ({ field, resource }) =>
        !descriptionOf(field).includes(`Requires ACL resource \`${resource}\``),
    );

    expect(claims.length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  it('the limits table of docs/operations.md has every limit with its default', () => {
    const { limits } = loadConfig({});
    const rows = section(readMarkdown('docs/operations.md'), 'Limits')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented: Record<string, number> = {};
    for (const [, variables = '', defaults = ''] of rows) {
      const names = [...variables.matchAll(/`(\w+)`/g)].map((match) => match[1] as string);
      const values = defaults.split(',').map((value) => Number(value.trim()));
      names.forEach((name, index) => {
        if (name in limits) documented[name] = values[index] ?? Number.NaN;
      });
    }

    expect(documented).toEqual(limits);
  });
});
