export default async function globalTeardown(): Promise<void> {
  const stops = (globalThis as { __doudiStops?: (() => Promise<void>)[] }).__doudiStops ?? [];
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
