// Prefixed, coloured log lines so one terminal can carry every component of `npm start`.
const COLOURS: Record<string, number> = { postgres: 34, temporal: 35, migrate: 36, worker: 32, api: 33, start: 37 };

export function prefixer(name: string): (line: string) => void {
  const colour = COLOURS[name] ?? 37;
  const tag = process.stdout.isTTY ? `\x1b[${colour}m${name.padEnd(8)}\x1b[0m|` : `${name.padEnd(8)}|`;
  return (line: string) => {
    for (const l of line.split(/\r?\n/)) if (l.trim()) process.stdout.write(`${tag} ${l}\n`);
  };
}

export function pipeLines(stream: NodeJS.ReadableStream | null, out: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) out(l);
  });
  stream.on('end', () => buf && out(buf));
}
