// Citations of the repository's own reference (docs/policy.md §N, docs/glossary.md, …) must point at a file and a
// section that exist, and nothing may cite the old working notes that lived outside the repository.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const THIS_FILE = relative(ROOT, __filename).split(sep).join('/');

/** Directories never walked: dependencies, VCS data, local state and build output. */
export const EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.tmp',
  '.data',
  '.temporal-bin',
  'dist',
  'web/node_modules',
]);
export const SCANNED_EXTENSIONS: readonly string[] = [
  '.ts',
  '.tsx',
  '.js',
  '.mjs',
  '.md',
  '.yml',
  '.yaml',
  '.bpmn',
  '.sh',
];

export interface DocCitation {
  /** Path of the cited file relative to the repository root, e.g. 'docs/policy.md'. */
  doc: string;
  /** Section numbers cited with it ('2', '2.1'); empty when the file is cited as a whole. */
  sections: string[];
  /** Offset of the citation in the text. */
  index: number;
}

// `docs/<name>.md`, optionally behind ./ or ../, not inside a longer path or URL (…/x/docs/… is another folder), then
// any run of section marks: "docs/policy.md §2", "docs/policy.md §2.1, §5", "docs/policy.md §4 and §8.4".
const CITATION = /(?<![\w\-/.])(?:\.{1,2}\/)*docs\/([A-Za-z0-9_.-]+?)\.md((?:\s*(?:,|;|and|&)?\s*§\s*\d+(?:\.\d+)*)*)/g;
const SECTION = /§\s*(\d+(?:\.\d+)*)/g;

/** Every citation of a docs/ file in `text`, with the sections it names. */
export function findDocCitations(text: string): DocCitation[] {
  const out: DocCitation[] = [];
  for (const m of text.matchAll(CITATION)) {
    const sections = [...(m[2] ?? '').matchAll(SECTION)].map((s) => s[1]);
    out.push({ doc: `docs/${m[1]}.md`, sections, index: m.index! });
  }
  return out;
}

/** Section marks (§N, §N.M) in `text` that are not part of a docs/<name>.md citation: a docs file's own sections. */
export function findBareSections(text: string): { section: string; index: number }[] {
  const taken: [number, number][] = [];
  for (const m of text.matchAll(CITATION)) taken.push([m.index!, m.index! + m[0].length]);
  const out: { section: string; index: number }[] = [];
  for (const m of text.matchAll(SECTION)) {
    if (!taken.some(([a, b]) => m.index! >= a && m.index! < b)) out.push({ section: m[1], index: m.index! });
  }
  return out;
}

/**
 * Section numbers of a markdown file: `## N. Title` gives 'N', `### N.M Title` gives 'N.M'. Headings inside fenced
 * code blocks do not count.
 */
export function findHeadings(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const top = /^## (\d+)\.\s+\S/.exec(line);
    if (top) out.add(top[1]);
    const sub = /^### (\d+\.\d+)\s+\S/.exec(line);
    if (sub) out.add(sub[1]);
  }
  return out;
}

/** Mentions of the working notes that lived outside the repository. */
export function findOutsideCitations(text: string): { name: string; index: number }[] {
  return [...text.matchAll(/\b(RULES|GLOSSARY)\.md\b/g)].map((m) => ({ name: m[0], index: m.index! }));
}

/**
 * A docs/ file may say where its text came from, in a provenance note: a line that says "Provenance", or a line of a
 * block quote (`> …`) that does. `lineNo` counts from 1.
 */
export function inProvenanceNote(lines: readonly string[], lineNo: number): boolean {
  for (let k = lineNo - 1; k >= 0; k--) {
    if (/provenance/i.test(lines[k])) return true;
    if (!/^\s*>/.test(lines[k])) return false;
  }
  return false;
}

export function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Repository-relative paths (with '/') of every scanned file under `root`. */
export function walkRepo(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (EXCLUDED_DIRS.has(entry.name) || EXCLUDED_DIRS.has(rel)) continue;
        visit(rel);
      } else if (entry.isFile() && SCANNED_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
        out.push(rel);
      }
    }
  };
  visit('');
  return out.sort();
}

describe('doc-citation helpers', () => {
  it('finds citations of docs files with their sections', () => {
    const text =
      'see docs/policy.md §2 and (docs/policy.md §4.1, §5); [hooks](docs/webhooks.md); ../docs/glossary.md "Roles"';
    expect(findDocCitations(text).map(({ doc, sections }) => ({ doc, sections }))).toEqual([
      { doc: 'docs/policy.md', sections: ['2'] },
      { doc: 'docs/policy.md', sections: ['4.1', '5'] },
      { doc: 'docs/webhooks.md', sections: [] },
      { doc: 'docs/glossary.md', sections: [] },
    ]);
  });

  it('reads "§N and §M" as two sections of one file', () => {
    expect(findDocCitations('docs/policy.md §4 and §8.4').map((c) => c.sections)).toEqual([['4', '8.4']]);
  });

  it('ignores docs folders inside other paths and URLs', () => {
    expect(findDocCitations('https://example.org/docs/policy.md §2; web/docs/x.md; mydocs/y.md')).toEqual([]);
  });

  it('finds section marks that belong to no citation', () => {
    const text = 'docs/policy.md §2 — as in §3.1, see §9';
    expect(findBareSections(text).map((s) => s.section)).toEqual(['3.1', '9']);
  });

  it('reads "## N." and "### N.M" headings, outside code fences only', () => {
    const md = [
      '# Title',
      '## Conventions',
      '## 1. Working days',
      '### 1.2 Counting',
      '#### 1.2.1 Deeper',
      '## 2 No dot',
      '```',
      '## 3. In a fence',
      '```',
      '### 4.1',
      '## 10. Ten',
    ].join('\n');
    expect([...findHeadings(md)].sort()).toEqual(['1', '1.2', '10']);
  });

  it('detects a citation of a section that is not a heading', () => {
    const headings = findHeadings('## 1. One\n### 1.1 Sub\n');
    const cited = findDocCitations('docs/policy.md §1.1, §1.2').flatMap((c) => c.sections);
    expect(cited.filter((s) => !headings.has(s))).toEqual(['1.2']);
  });

  it('finds mentions of the outside notes', () => {
    expect(
      findOutsideCitations('per RULES.md §2 and GLOSSARY.md; not MYRULES.md nor RULES.mdx').map((m) => m.name),
    ).toEqual(['RULES.md', 'GLOSSARY.md']);
    expect(findOutsideCitations('docs/policy.md §2')).toEqual([]);
  });

  it('allows the outside notes only in a provenance note', () => {
    const lines = [
      '# Doc',
      '',
      '> Provenance: rewritten from',
      '> RULES.md, outside the repository.',
      '',
      'As RULES.md says',
      '> RULES.md quoted',
    ];
    expect([4, 6, 7].map((n) => inProvenanceNote(lines, n))).toEqual([true, false, false]);
  });

  it('counts lines from 1', () => {
    expect(lineOf('a\nb\nc', 0)).toBe(1);
    expect(lineOf('a\nb\nc', 4)).toBe(3);
  });

  it('walks the repository without dependencies or local state', () => {
    const files = walkRepo(ROOT);
    expect(files).toContain(THIS_FILE);
    expect(files).toContain('README.md');
    expect(files.some((f) => f.split('/').some((part) => EXCLUDED_DIRS.has(part)))).toBe(false);
  });
});

describe('doc citations in this repository', () => {
  // This file's own examples are fixtures, not citations.
  const files = walkRepo(ROOT).filter((f) => f !== THIS_FILE);
  const texts = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
  const headingsOf = new Map<string, Set<string> | null>();
  const headings = (doc: string) => {
    if (!headingsOf.has(doc))
      headingsOf.set(doc, existsSync(join(ROOT, doc)) ? findHeadings(readFileSync(join(ROOT, doc), 'utf8')) : null);
    return headingsOf.get(doc)!;
  };

  it('every cited docs/<name>.md exists', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      for (const c of findDocCitations(text)) {
        if (headings(c.doc) === null)
          problems.push(`${file}:${lineOf(text, c.index)} cites ${c.doc}, which does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every cited section is a heading of the cited file', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      for (const c of findDocCitations(text)) {
        const h = headings(c.doc);
        if (!h) continue;
        for (const s of c.sections)
          if (!h.has(s))
            problems.push(`${file}:${lineOf(text, c.index)} cites ${c.doc} §${s}, which is not a heading there`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every bare § in a docs/ file is a heading of that file', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      if (!file.startsWith('docs/') || !file.endsWith('.md')) continue;
      const own = findHeadings(text);
      for (const s of findBareSections(text)) {
        if (!own.has(s.section))
          problems.push(`${file}:${lineOf(text, s.index)} refers to §${s.section}, which is not a heading of ${file}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no citation points outside the repository (RULES.md, GLOSSARY.md)', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      const lines = text.split('\n');
      for (const m of findOutsideCitations(text)) {
        const line = lineOf(text, m.index);
        if (file.startsWith('docs/') && inProvenanceNote(lines, line)) continue;
        problems.push(
          `${file}:${line} cites ${m.name}, which is not in the repository: cite docs/policy.md §N or docs/glossary.md`,
        );
      }
    }
    expect(problems).toEqual([]);
  });
});
