// The payment roster (发放花名册) of a month as rows, CSV and a Chinese PDF. Rows are read in pages by payment id, so a
// county-wide CSV streams in constant memory whatever the number of recipients.
import type { Knex } from 'knex';
import PDFDocument from 'pdfkit';
import { FONT, loadFont } from '../../engine/notices/pdf';
import { idNumberOf } from '../../data/people';
import { maskIdNumber } from '../../domain/masking';
import { toFen, fenToYuan } from '../../domain/money';

export interface RosterLine {
  paymentId: string;
  recipientId: string;
  caseId: string;
  regionCode: string;
  regionName: string | null;
  month: string;
  category: string;
  amount: number;
  headName: string | null;
  headIdNumberMasked: string | null;
  householdSize: number | null;
}

const PAGE = 5_000;

/** One page of the roster after `afterId`, payment id order; region by prefix (county ⊃ township ⊃ village). */
export async function rosterPage(
  db: Knex,
  month: string,
  region: string,
  afterId = '',
  limit = PAGE,
): Promise<RosterLine[]> {
  const rows = await db('payments as p')
    .leftJoin('recipients as r', 'r.id', 'p.recipient_id')
    .leftJoin('people as m', 'm.id', 'p.person_id')
    .leftJoin('households as h', 'h.id', 'p.household_id')
    .leftJoin('regions as g', 'g.code', 'p.region_code')
    .where('p.kind', 'MONTHLY')
    .where('p.month', month)
    .where('p.region_code', 'like', `${region}%`)
    .where('p.id', '>', afterId)
    .orderBy('p.id')
    .limit(limit)
    .select(
      'p.id',
      'p.recipient_id',
      'r.case_id',
      'p.region_code',
      'g.name as region_name',
      'p.month',
      'p.category',
      'p.amount',
      'm.name as head_name',
      'm.id_cipher as head_id_cipher',
      'm.id_key as head_id_key',
      db.raw("jsonb_array_length(h.economy->'members') as household_size"),
    );
  return rows.map((x) => ({
    paymentId: x.id,
    recipientId: x.recipient_id,
    caseId: x.case_id,
    regionCode: x.region_code,
    regionName: x.region_name ?? null,
    month: x.month,
    category: x.category,
    amount: Number(x.amount),
    headName: x.head_name ?? null,
    // A roster travels (banks, townships, printouts): ID numbers are always masked on it.
    headIdNumberMasked: x.head_id_cipher
      ? maskIdNumber(idNumberOf({ id_cipher: x.head_id_cipher, id_key: x.head_id_key }))
      : null,
    householdSize: x.household_size == null ? null : Number(x.household_size),
  }));
}

export async function* rosterLines(db: Knex, month: string, region: string): AsyncGenerator<RosterLine> {
  let after = '';
  for (;;) {
    const page = await rosterPage(db, month, region, after);
    for (const line of page) yield line;
    if (page.length < PAGE) return;
    after = page[page.length - 1].paymentId;
  }
}

export async function rosterTotals(
  db: Knex,
  month: string,
  region: string,
): Promise<{ lines: number; totalAmount: number }> {
  const [row] = await db('payments')
    .where({ kind: 'MONTHLY', month })
    .where('region_code', 'like', `${region}%`)
    .select(db.raw('count(*)::int as lines'), db.raw('coalesce(sum(amount), 0) as total'));
  return { lines: row.lines, totalAmount: Number(row.total) };
}

const CATEGORY_ZH: Record<string, string> = {
  DIBAO: '低保',
  TEKUN: '特困',
  DIBAO_EDGE: '低保边缘',
  RIGID_EXPENDITURE: '刚性支出困难',
  OTHER_HARDSHIP: '其他困难',
};
const CSV_HEADER = [
  '序号',
  '乡镇',
  '区划代码',
  '户主姓名',
  '身份证号（脱敏）',
  '家庭人口',
  '救助类别',
  '发放月份',
  '金额（元）',
  '救助对象编号',
  '付款编号',
];

/**
 * A text as a spreadsheet cell that no spreadsheet evaluates (formula injection): a text starting with = + - @ or a
 * tab or carriage return (which Excel strips before it looks for a formula) gets a leading apostrophe. Plain numbers
 * such as -12.50 stay numbers.
 */
export function spreadsheetText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
}

function csvCell(v: unknown): string {
  const safe = spreadsheetText(v == null ? '' : String(v));
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The roster as CSV: UTF-8 with a BOM (Excel then opens the Chinese correctly), CRLF line ends, written in chunks of
 * a page so memory stays flat. `write` may return a promise (back-pressure).
 */
export async function writeRosterCsv(
  db: Knex,
  month: string,
  region: string,
  write: (chunk: string) => unknown,
): Promise<number> {
  await write(`\uFEFF${CSV_HEADER.join(',')}\r\n`);
  let n = 0;
  let after = '';
  for (;;) {
    const page = await rosterPage(db, month, region, after);
    if (page.length) {
      await write(
        page
          .map((l) =>
            [
              ++n,
              l.regionName,
              l.regionCode,
              l.headName,
              l.headIdNumberMasked,
              l.householdSize,
              CATEGORY_ZH[l.category] ?? l.category,
              l.month,
              l.amount.toFixed(2),
              l.recipientId,
              l.paymentId,
            ]
              .map(csvCell)
              .join(','),
          )
          .join('\r\n') + '\r\n',
      );
    }
    if (page.length < PAGE) return n;
    after = page[page.length - 1].paymentId;
  }
}

/** The roster as a printable Chinese PDF (A4 landscape, a table with page totals and a grand total). */
export async function renderRosterPdf(db: Knex, month: string, region: string, regionName: string): Promise<Buffer> {
  const font = await loadFont();
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 36,
    lang: 'zh-CN',
    info: { Title: `${regionName}${month}发放花名册`, Creator: 'Doudi' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, font);
  doc.font(FONT);
  const cols = [
    { h: '序号', w: 40 },
    { h: '乡镇', w: 80 },
    { h: '户主姓名', w: 80 },
    { h: '身份证号（脱敏）', w: 150 },
    { h: '人口', w: 40 },
    { h: '类别', w: 80 },
    { h: '月份', w: 60 },
    { h: '金额（元）', w: 80 },
    { h: '签领', w: 150 },
  ];
  const left = doc.page.margins.left;
  const rowH = 18;
  const header = () => {
    doc
      .fontSize(16)
      .text(`${regionName} ${month.replace('-', '年')}月 社会救助资金发放花名册`, left, doc.page.margins.top, {
        align: 'center',
        width: doc.page.width - 2 * left,
      });
    doc.moveDown(0.5).fontSize(10);
    let x = left;
    const y = doc.y;
    for (const c of cols) {
      doc.rect(x, y, c.w, rowH).stroke();
      doc.text(c.h, x + 3, y + 4, { width: c.w - 6, lineBreak: false });
      x += c.w;
    }
    doc.y = y + rowH;
  };
  header();
  let n = 0;
  let total = 0;
  for await (const l of rosterLines(db, month, region)) {
    if (doc.y + rowH > doc.page.height - doc.page.margins.bottom - rowH) {
      doc.addPage();
      header();
    }
    n++;
    total += toFen(l.amount);
    const cells = [
      n,
      l.regionName ?? l.regionCode,
      l.headName ?? '',
      l.headIdNumberMasked ?? '',
      l.householdSize ?? '',
      CATEGORY_ZH[l.category] ?? l.category,
      l.month,
      l.amount.toFixed(2),
      '',
    ];
    let x = left;
    const y = doc.y;
    cols.forEach((c, i) => {
      doc.rect(x, y, c.w, rowH).stroke();
      doc.text(String(cells[i]), x + 3, y + 4, { width: c.w - 6, lineBreak: false });
      x += c.w;
    });
    doc.y = y + rowH;
  }
  doc
    .moveDown(1)
    .fontSize(12)
    .text(`合计：${n} 户，${fenToYuan(total).toFixed(2)} 元`, left, doc.y);
  doc.end();
  return done;
}
