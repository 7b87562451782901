// PDF text extraction, the way a viewer's copy/paste does (inflate, ToUnicode CMap, glyph ids). Shared with the
// end-to-end tests that render notices on the real stack.
import { inflateSync } from 'node:zlib';

// No PDF text extractor is installed, and the Chinese text only exists in the file as glyph ids of an embedded
// subset font. This helper reads it back the way a viewer's copy/paste does: inflate the streams, read the
// ToUnicode CMap, then map every glyph id shown by Tj/TJ to its characters.
export function extractText(pdf: Buffer): string {
  const latin1 = pdf.toString('latin1');
  const streams: string[] = [];
  const re = /<<(.*?)>>\s*stream\r?\n/gs;
  for (let m = re.exec(latin1); m; m = re.exec(latin1)) {
    const start = m.index + m[0].length;
    const end = latin1.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    streams.push((/\/FlateDecode/.test(m[1]) ? inflateSync(raw) : raw).toString('latin1'));
  }

  const cmap = new Map<number, string>();
  const hexToString = (hex: string) =>
    String.fromCharCode(...(hex.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const s of streams.filter((s) => s.includes('beginbfrange'))) {
    const body = s.slice(s.indexOf('beginbfrange') + 'beginbfrange'.length, s.indexOf('endbfrange'));
    for (const line of body.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      const first = parseInt(line[1], 16);
      [...line[3].matchAll(/<([^>]*)>/g)].forEach((dst, i) => cmap.set(first + i, hexToString(dst[1])));
    }
  }
  if (cmap.size === 0) throw new Error('no ToUnicode CMap in the PDF');

  let text = '';
  for (const s of streams.filter((s) => /\bBT\b/.test(s))) {
    for (const op of s.matchAll(/\[(.*?)\]\s*TJ|<([0-9a-f]+)>\s*Tj/gis)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-f]+)>/gi)].map((h) => h[1]) : [op[2]];
      for (const hex of hexes) {
        for (const gid of hex.match(/.{4}/g) ?? []) text += cmap.get(parseInt(gid, 16)) ?? '\uFFFD';
      }
    }
  }
  return text;
}

// Wrapped lines are separate text runs; compare without whitespace so a line break inside a reason does not matter.
export const squash = (s: string) => s.replace(/\s+/g, '');
