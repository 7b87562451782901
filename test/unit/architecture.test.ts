// The import structure of docs/architecture.md, checked on the source itself: no cycles, nothing imports upward, the
// worker's workflow bundle reaches only deterministic code, and neither the API nor the activities load workflow code.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['domain', 'data', 'engine', 'processes', 'api', 'migrations', 'scripts', 'config'];

interface Edge {
  to: string;
  typeOnly: boolean;
}

/** Relative imports of a TypeScript file: static imports and re-exports, `require()` and `import()` calls. */
export function importsOf(source: string): { spec: string; typeOnly: boolean }[] {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, false);
  const out: { spec: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      out.push({ spec: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.filter((i) => i.spec.startsWith('.'));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function buildGraph(): Map<string, Edge[]> {
  const files = [...SOURCE_DIRS.flatMap((d) => tsFiles(join(ROOT, d))), join(ROOT, 'worker.ts')];
  const graph = new Map<string, Edge[]>();
  for (const f of files) {
    const edges = importsOf(readFileSync(f, 'utf8')).flatMap((i) => {
      const to = resolveImport(f, i.spec);
      return to && /\.ts$/.test(to) ? [{ to: relative(ROOT, to), typeOnly: i.typeOnly }] : [];
    });
    graph.set(relative(ROOT, f), edges);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function cycles(graph: Map<string, { to: string }[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!idx.has(to)) {
        strong(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, idx.get(to)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).some((e) => e.to === v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return found;
}

/** Every file reached from `start` through value imports (type imports vanish at run time). */
function reachedByValue(graph: Map<string, Edge[]>, start: string): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length) {
    for (const e of graph.get(todo.pop()!) ?? []) {
      if (!e.typeOnly && !seen.has(e.to)) {
        seen.add(e.to);
        todo.push(e.to);
      }
    }
  }
  return seen;
}

const graph = buildGraph();
const ENGINE_CORE = /^engine\/(definition|messages|errors|search-attributes)\.ts$/;
const WORKFLOW_CODE = /^(processes\/[^/]+\/workflow\.ts|processes\/workflows\.ts|engine\/workflow\/.*)$/;
/** What deterministic workflow code may consist of. */
const CORE = 'engine/(definition|messages|errors|search-attributes)\\.ts';
const SLICE_SAFE = 'processes/[^/]+/(workflow|definition|messages|schemas)\\.ts';
const WORKFLOW_SAFE = new RegExp(`^(domain/.*|${CORE}|engine/workflow/.*|processes/workflows\\.ts|${SLICE_SAFE})$`);

/** Each layer and what it may import (value or type). */
const LAYERS: [RegExp, RegExp][] = [
  [/^domain\//, /^domain\//],
  [/^data\//, /^(domain\/|data\/|engine\/errors\.ts$)/],
  [ENGINE_CORE, /^(domain\/|engine\/(definition|messages|errors|search-attributes)\.ts$)/],
  [
    /^engine\/workflow\//,
    /^(domain\/|engine\/(definition|messages|errors|search-attributes)\.ts$|engine\/workflow\/|engine\/activities\/)/,
  ],
  [
    /^engine\/(activities|notifications|notices)\//,
    new RegExp(`^(domain/|data/|${CORE}$|engine/(activities|notifications|notices)/)`),
  ],
  [
    /^engine\/(client|open-case)\.ts$/,
    /^(domain\/|data\/|engine\/(definition|messages|errors|search-attributes|client)\.ts$)/,
  ],
  [/^api\/http\//, /^(domain\/|data\/|engine\/|config\/|api\/http\/)/],
];

describe('import structure', () => {
  it('reads the source (sanity check of the scan)', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('processes/application/workflow.ts')!.map((e) => e.to)).toContain(
      'engine/workflow/case-context.ts',
    );
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('imports nothing upward: each layer only from the layers below it', () => {
    const wrong = [...graph].flatMap(([file, edges]) => {
      const rule = LAYERS.find(([layer]) => layer.test(file));
      return rule ? edges.filter((e) => !rule[1].test(e.to)).map((e) => `${file} → ${e.to}`) : [];
    });
    expect(wrong).toEqual([]);
  });

  it("gives the worker's workflow bundle deterministic code only", () => {
    const reached = [...reachedByValue(graph, 'processes/workflows.ts')];
    expect(reached.filter((f) => !WORKFLOW_SAFE.test(f))).toEqual([]);
  });

  it('imports activity modules into workflow code as types only, as Temporal samples do', () => {
    const wrong = [...graph].flatMap(([file, edges]) =>
      WORKFLOW_CODE.test(file)
        ? edges.filter((e) => /activities/.test(e.to) && !e.typeOnly).map((e) => `${file} → ${e.to}`)
        : [],
    );
    expect(wrong).toEqual([]);
  });

  it('keeps workflow code out of the API, the activities and the worker process itself', () => {
    for (const start of ['api/app.ts', 'api/server.ts', 'processes/index.ts']) {
      expect({ start, reaches: [...reachedByValue(graph, start)].filter((f) => WORKFLOW_CODE.test(f)) }).toEqual({
        start,
        reaches: [],
      });
    }
  });

  it('keeps process slices from reaching into one another except through definitions, messages and schemas', () => {
    const wrong = [...graph].flatMap(([file, edges]) => {
      const own = /^processes\/([^/]+)\//.exec(file)?.[1];
      if (!own) return [];
      return edges
        .filter((e) => {
          const other = /^processes\/([^/]+)\/([^/]+)\.ts$/.exec(e.to);
          if (!other || other[1] === own) return false;
          // Another process's definition, messages and schemas are its contract; its workflow and activities types
          // are what a parent starts or proxies (type-only, checked above); its activities' row helpers are shared.
          return !['definition', 'messages', 'schemas'].includes(other[2]) && !e.typeOnly && other[2] !== 'activities';
        })
        .map((e) => `${file} → ${e.to}`);
    });
    expect(wrong).toEqual([]);
  });
});

describe('the scan itself', () => {
  it('tells type-only imports from value imports', () => {
    expect(
      importsOf("import type { A } from './a'; import { type B } from './b'; import { C, type D } from './c';"),
    ).toEqual([
      { spec: './a', typeOnly: true },
      { spec: './b', typeOnly: true },
      { spec: './c', typeOnly: false },
    ]);
    expect(importsOf("export { x } from './x'; const y = require('./y'); import 'zod';")).toEqual([
      { spec: './x', typeOnly: false },
      { spec: './y', typeOnly: false },
    ]);
  });

  it('finds a cycle', () => {
    const g = new Map([
      ['a', [{ to: 'b' }]],
      ['b', [{ to: 'c' }]],
      ['c', [{ to: 'a' }]],
      ['d', [{ to: 'a' }]],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });
});
