// The lint rules that guard the architecture (eslint.config.mjs), shown failing on code that breaks them. ESLint
// runs as a child process: its flat config is an ES module, which jest's module system cannot load.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function lint(code: string, filePath: string): { exitCode: number | null; output: string } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', filePath],
    {
      cwd: ROOT,
      input: code,
      encoding: 'utf8',
    },
  );
  return { exitCode: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('lint rules', () => {
  jest.setTimeout(60_000);

  it("forbids a process's workflow to wait with Temporal's raw condition or sleep", () => {
    const r = lint(
      "import { condition } from '@temporalio/workflow';\nexport const x = condition;\n",
      'processes/example/workflow.ts',
    );
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('ctx.waitUntil()');
  });

  it('forbids a process to proxy activities on its own', () => {
    const r = lint(
      "import { proxyActivities } from '@temporalio/workflow';\nexport const x = proxyActivities;\n",
      'processes/example/workflow.ts',
    );
    expect(r.output).toContain('activity-proxy.ts');
  });

  it('lets the shared machinery use them, and refuses a line over 120 characters anywhere', () => {
    expect(
      lint("import { condition } from '@temporalio/workflow';\nexport const x = condition;\n", 'engine/workflow/x.ts')
        .exitCode,
    ).toBe(0);
    const long = `// ${'x'.repeat(130)}\nexport const y = 1;\n`;
    expect(lint(long, 'domain/x.ts').output).toContain('max-len');
  });
});
