import { inflateSync } from 'node:zlib';
import {
  renderRefusalNotice,
  renderTerminationNotice,
  type RefusalNoticeInput,
  type TerminationNoticeInput,
} from '../../engine/notices/pdf';

// No PDF text extractor is installed, and the Chinese text only exists in the file as glyph ids of an embedded
// subset font. This helper reads it back the way a viewer's copy/paste does: inflate the streams, read the
// ToUnicode CMap, then map every glyph id shown by Tj/TJ to its characters.
function extractText(pdf: Buffer): string {
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
  expect(cmap.size).toBeGreaterThan(0);

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
const squash = (s: string) => s.replace(/\s+/g, '');

const refusal: RefusalNoticeInput = {
  noticeNo: '新民不认〔2025〕第017号',
  applicantName: '张三',
  householdRegion: '七里营镇',
  applicationDate: '2025-03-03',
  decisionDate: '2025-04-10',
  reasons: [
    '家庭人均月收入高于本县农村最低生活保障标准（420元/人/月）。',
    '家庭拥有机动车辆一辆（非残疾人功能性补偿代步机动车），家庭财产状况超出规定。',
  ],
  issuingAuthority: '新乡县民政局',
  reviewAuthority: '新乡县人民政府',
  court: '新乡县人民法院',
};

const termination: TerminationNoticeInput = {
  noticeNo: '新民终〔2025〕第003号',
  recipientName: '李四',
  decisionDate: '2025-12-05',
  reasons: ['经年度复核，家庭人均月收入已连续三个月高于最低生活保障标准。'],
  lastPaymentMonth: '2025-12',
  issuingAuthority: '新乡县民政局',
  reviewAuthority: '新乡县人民政府',
  court: '新乡县人民法院',
};

describe('refusal notice PDF', () => {
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    pdf = await renderRefusalNotice(refusal);
    text = squash(extractText(pdf));
  });

  it('is a PDF', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
  });

  it('carries the Chinese text only as embedded-font glyphs, so the extractor is what finds it', () => {
    expect(pdf.includes(Buffer.from('新乡县人民政府', 'utf8'))).toBe(false);
    expect(text).toContain('新乡县人民政府');
  });

  it('states the title, number, addressee, dates and every numbered reason', () => {
    expect(text).toContain('社会救助不予认定告知书');
    expect(text).toContain(squash(refusal.noticeNo));
    expect(text).toContain('张三：');
    expect(text).toContain('七里营镇');
    expect(text).toContain('于2025年3月3日提出');
    expect(text).toContain('本机关于2025年4月10日决定不予认定');
    expect(text).toContain(squash(`一、${refusal.reasons[0]}`));
    expect(text).toContain(squash(`二、${refusal.reasons[1]}`));
  });

  it('states the remedies with their time limits and the issuing authority and date', () => {
    expect(text).toContain('60日内向新乡县人民政府申请行政复议');
    expect(text).toContain('6个月内直接向新乡县人民法院提起行政诉讼');
    expect(text).toMatch(/新乡县民政局2025年4月10日$/);
  });

  it('does not find text that is not there (the extractor is not vacuous)', () => {
    expect(text).not.toContain(squash(termination.reasons[0]));
    expect(text).not.toContain('\uFFFD');
  });

  it('is byte-identical for the same input and differs when a reason differs', async () => {
    expect((await renderRefusalNotice(refusal)).equals(pdf)).toBe(true);
    const other = await renderRefusalNotice({ ...refusal, reasons: [refusal.reasons[0]] });
    expect(other.equals(pdf)).toBe(false);
    expect(squash(extractText(other))).not.toContain(squash(refusal.reasons[1]));
  });

  it('wraps long reasons and flows onto a second page without losing text', async () => {
    const long = Array.from(
      { length: 12 },
      (_, i) => `第${i + 1}项核查结果：${'家庭经济状况核对发现申请人未如实申报收入与财产情况'.repeat(3)}。`,
    );
    const out = await renderRefusalNotice({ ...refusal, reasons: long });
    expect((out.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(1);
    const extracted = squash(extractText(out));
    for (const reason of long) expect(extracted).toContain(squash(reason));
    expect(extracted).toMatch(/新乡县民政局2025年4月10日$/);
  });

  it('refuses input that would produce a defective notice', async () => {
    await expect(renderRefusalNotice({ ...refusal, reasons: [] })).rejects.toThrow(/reason/);
    await expect(renderRefusalNotice({ ...refusal, reasons: ['  '] })).rejects.toThrow(/reason/);
    await expect(renderRefusalNotice({ ...refusal, decisionDate: '2025-02-30' })).rejects.toThrow(/decisionDate/);
    await expect(renderRefusalNotice({ ...refusal, court: '' })).rejects.toThrow(/court/);
  });
});

describe('termination notice PDF', () => {
  it('states the decision, reasons, last paid month and the month payments stop', async () => {
    const pdf = await renderTerminationNotice(termination);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squash(extractText(pdf));
    expect(text).toContain('终止救助告知书');
    expect(text).toContain('李四：');
    expect(text).toContain('本机关于2025年12月5日决定终止');
    expect(text).toContain(squash(`一、${termination.reasons[0]}`));
    expect(text).toContain('救助金发放至2025年12月，自2026年1月起停发');
    expect(text).toContain('60日内向新乡县人民政府申请行政复议');
    expect(text).not.toContain(squash(refusal.reasons[0]));
  });

  it('rejects a malformed last payment month', async () => {
    await expect(renderTerminationNotice({ ...termination, lastPaymentMonth: '2025-13' })).rejects.toThrow(
      /lastPaymentMonth/,
    );
  });
});
