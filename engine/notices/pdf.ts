// Written notices (书面告知书) as PDF. One layout helper renders every notice; each notice type only builds its text.
//
// Determinism: the same input gives byte-identical output. pdfkit derives the file /ID from the info dictionary
// (an MD5 of it), and the font subset tag from the font's resource name, so the only moving part is CreationDate,
// which is pinned to the decision date. Nothing here reads the clock.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import PDFDocument from 'pdfkit';

export interface RefusalNoticeInput {
  noticeNo: string;
  applicantName: string;
  /** Township name of the household registration (户籍所在地), e.g. '七里营镇'. */
  householdRegion: string;
  /** YYYY-MM-DD */
  applicationDate: string;
  /** YYYY-MM-DD */
  decisionDate: string;
  reasons: string[];
  /** e.g. '新乡县民政局' */
  issuingAuthority: string;
  /** e.g. '新乡县人民政府' */
  reviewAuthority: string;
  /** e.g. '新乡县人民法院' */
  court: string;
  /** The office's particulars, legal basis, figures and issue date (docs/policy.md §2.6). */
  particulars?: NoticeParticulars;
}

/** What makes a notice a proper document (docs/policy.md §2.6); optional for notices drafted before it existed. */
export interface NoticeParticulars {
  /** 法律依据: the measures the decision rests on. */
  legalBasis: string;
  /** The figures behind the reasons, e.g. per-capita income against the standard, one line each. */
  figures: string[];
  officeAddress: string;
  officeTelephone: string;
  /** YYYY-MM-DD the notice was issued; absent while it is a draft. */
  issuedOn?: string;
}

export interface TerminationNoticeInput {
  noticeNo: string;
  recipientName: string;
  /** YYYY-MM-DD */
  decisionDate: string;
  reasons: string[];
  /** YYYY-MM: the last month paid; payments stop from the month after. */
  lastPaymentMonth: string;
  issuingAuthority: string;
  reviewAuthority: string;
  court: string;
  particulars?: NoticeParticulars;
}

// async so that invalid input surfaces as a rejection, like every other failure of a Promise-returning function.
export async function renderRefusalNotice(input: RefusalNoticeInput): Promise<Buffer> {
  return renderNotice(refusalContent(input));
}

export async function renderTerminationNotice(input: TerminationNoticeInput): Promise<Buffer> {
  return renderNotice(terminationContent(input));
}

// ---------------------------------------------------------------------------------------------------------------
// Content builders

interface NoticeContent {
  title: string;
  noticeNo: string;
  addressee: string;
  /** Body paragraphs in order; each is indented two characters, as in official documents. */
  paragraphs: string[];
  issuingAuthority: string;
  /** YYYY-MM-DD; printed under the authority and used as the PDF CreationDate. */
  date: string;
  particulars?: NoticeParticulars;
}

/** The legal-basis and figures paragraphs of a notice with particulars. */
function particularParagraphs(p: NoticeParticulars | undefined): string[] {
  if (!p) return [];
  const figures = p.figures.filter((f) => f.trim() !== '');
  return [
    ...(figures.length ? [`核算情况：${figures.join('；')}。`] : []),
    `法律依据：${requireText(p.legalBasis, 'legalBasis')}。`,
  ];
}

function refusalContent(input: RefusalNoticeInput): NoticeContent {
  const applied = parseDate(input.applicationDate, 'applicationDate');
  const decided = parseDate(input.decisionDate, 'decisionDate');
  const reasons = requireReasons(input.reasons);
  return {
    title: '社会救助不予认定告知书',
    noticeNo: requireText(input.noticeNo, 'noticeNo'),
    addressee: requireText(input.applicantName, 'applicantName'),
    paragraphs: [
      `你（户籍所在地：${requireText(input.householdRegion, 'householdRegion')}）于${chineseDate(applied)}提出的社会救助申请，` +
        `经入户调查、家庭经济状况核对和审核，本机关于${chineseDate(decided)}决定不予认定。理由如下：`,
      ...numbered(reasons),
      ...particularParagraphs(input.particulars),
      appealRights(input.reviewAuthority, input.court),
      '特此告知。',
    ],
    issuingAuthority: requireText(input.issuingAuthority, 'issuingAuthority'),
    date: input.particulars?.issuedOn ?? input.decisionDate,
    particulars: input.particulars,
  };
}

function terminationContent(input: TerminationNoticeInput): NoticeContent {
  const decided = parseDate(input.decisionDate, 'decisionDate');
  const last = parseMonth(input.lastPaymentMonth, 'lastPaymentMonth');
  const firstUnpaid = {
    year: last.month === 12 ? last.year + 1 : last.year,
    month: last.month === 12 ? 1 : last.month + 1,
  };
  const reasons = requireReasons(input.reasons);
  return {
    title: '终止救助告知书',
    noticeNo: requireText(input.noticeNo, 'noticeNo'),
    addressee: requireText(input.recipientName, 'recipientName'),
    paragraphs: [
      `经调查核实，本机关于${chineseDate(decided)}决定终止你（家庭）享受的社会救助。理由如下：`,
      ...numbered(reasons),
      `你（家庭）的救助金发放至${chineseMonth(last)}，自${chineseMonth(firstUnpaid)}起停发。`,
      ...particularParagraphs(input.particulars),
      appealRights(input.reviewAuthority, input.court),
      '特此告知。',
    ],
    issuingAuthority: requireText(input.issuingAuthority, 'issuingAuthority'),
    date: input.particulars?.issuedOn ?? input.decisionDate,
    particulars: input.particulars,
  };
}

// Time limits: 行政复议法 (2023) art. 20 — 60 days; 行政诉讼法 art. 46 — 6 months; both from when the person learns of
// the decision, i.e. receipt of this notice. Review is not a precondition of suing, hence "也可以…直接".
function appealRights(reviewAuthority: string, court: string): string {
  return (
    `如对本决定不服，可以自收到本告知书之日起60日内向${requireText(reviewAuthority, 'reviewAuthority')}申请行政复议，` +
    `也可以自收到本告知书之日起6个月内直接向${requireText(court, 'court')}提起行政诉讼。`
  );
}

function numbered(reasons: string[]): string[] {
  return reasons.map((reason, i) => `${chineseOrdinal(i + 1)}、${reason.trim()}`);
}

// The policy requires reasons with every refusal or termination (新政办〔2024〕22号 一(二)); an empty list is a bug upstream.
function requireReasons(reasons: string[]): string[] {
  const kept = (reasons ?? []).filter((r) => r.trim() !== '');
  if (kept.length === 0) throw new Error('a notice needs at least one reason');
  return kept;
}

function requireText(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} is required`);
  return value.trim();
}

interface YMD {
  year: number;
  month: number;
  day: number;
}

function parseDate(value: string, field: string): YMD {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  const ymd = m ? { year: +m[1], month: +m[2], day: +m[3] } : undefined;
  // Round-trip through Date.UTC so 2025-02-30 is refused rather than printed.
  const d = ymd && new Date(Date.UTC(ymd.year, ymd.month - 1, ymd.day));
  if (!ymd || !d || d.getUTCMonth() !== ymd.month - 1 || d.getUTCDate() !== ymd.day) {
    throw new Error(`${field} must be a valid YYYY-MM-DD date, got ${JSON.stringify(value)}`);
  }
  return ymd;
}

function parseMonth(value: string, field: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(value ?? '');
  if (!m || +m[2] < 1 || +m[2] > 12) throw new Error(`${field} must be YYYY-MM, got ${JSON.stringify(value)}`);
  return { year: +m[1], month: +m[2] };
}

const chineseDate = (d: YMD) => `${d.year}年${d.month}月${d.day}日`;
const chineseMonth = (d: { year: number; month: number }) => `${d.year}年${d.month}月`;

function chineseOrdinal(n: number): string {
  const digits = '〇一二三四五六七八九';
  if (n < 10) return digits[n];
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`;
  return String(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

// The regular weight only: a second weight would mean reading and parsing another ~10 MB file per process.
const FONT_FILE = path.join(
  path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json')),
  '400Regular',
  'NotoSansSC_400Regular.ttf',
);
export const FONT = 'NotoSansSC';

let fontBytes: Promise<Buffer> | undefined;
/** The Noto Sans SC bytes, read once per process; shared by every PDF this system renders. */
export function loadFont(): Promise<Buffer> {
  if (!fontBytes) {
    fontBytes = readFile(FONT_FILE);
    // A failed read must not be cached forever: the next activity attempt should try again.
    fontBytes.catch(() => (fontBytes = undefined));
  }
  return fontBytes;
}

// Proportions follow GB/T 9704 (党政机关公文格式): A4, margins 37/26/35/28 mm, title 二号 (22 pt), body 三号 (16 pt).
const MM = 72 / 25.4;
const TITLE_SIZE = 22;
const BODY_SIZE = 16;
const LINE_GAP = 8;

async function renderNotice(content: NoticeContent): Promise<Buffer> {
  const font = await loadFont();
  const [y, mo, d] = content.date.split('-').map(Number);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 37 * MM, right: 26 * MM, bottom: 35 * MM, left: 28 * MM },
    lang: 'zh-CN',
    info: {
      Title: content.title,
      Subject: `${content.title} ${content.noticeNo}`,
      Author: content.issuingAuthority,
      Creator: 'Doudi',
      // Midnight in Asia/Shanghai of the decision date, so the same input always yields the same bytes.
      CreationDate: new Date(Date.UTC(y, mo - 1, d) - 8 * 3600 * 1000),
    },
  });
  const done = collect(doc);

  doc.registerFont(FONT, font);
  doc.font(FONT);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  doc.fontSize(TITLE_SIZE).text(content.title, left, doc.y, { width, align: 'center' });
  doc.moveDown(0.5);
  doc.fontSize(BODY_SIZE).text(content.noticeNo, { width, align: 'right' });
  doc.moveDown(1);
  doc.text(`${content.addressee}：`, { width, align: 'left', lineGap: LINE_GAP });
  for (const paragraph of content.paragraphs) {
    doc.text(paragraph, { width, align: 'left', indent: 2 * BODY_SIZE, lineGap: LINE_GAP });
  }
  doc.moveDown(2);
  // Keep the signature block together: a page holding only the authority and date would be a detached 落款.
  const signatureHeight = 2 * (doc.currentLineHeight(true) + LINE_GAP);
  if (doc.y + signatureHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
  // Right-aligned with a two-character margin, where the seal (印章) goes over the authority name.
  const signWidth = width - 2 * BODY_SIZE;
  const p = content.particulars;
  if (p) {
    // The seal's place: a circle over the authority's name, marked so a printed draft cannot pass for a sealed copy.
    const r = 21 * MM;
    doc
      .save()
      .circle(left + signWidth - r, doc.y + r * 0.6, r)
      .lineWidth(0.5)
      .dash(3, { space: 3 })
      .stroke()
      .restore();
    doc.text('（印章）', left, doc.y, { width: signWidth, align: 'right', lineGap: LINE_GAP });
  }
  doc.text(content.issuingAuthority, left, doc.y, { width: signWidth, align: 'right', lineGap: LINE_GAP });
  const dateLine = p && !p.issuedOn ? '签发日期：（草稿，未签发）' : chineseDate(parseDate(content.date, 'date'));
  doc.text(dateLine, left, doc.y, { width: signWidth, align: 'right', lineGap: LINE_GAP });
  if (p) {
    doc.moveDown(1);
    doc.fontSize(12);
    doc.text(`地址：${requireText(p.officeAddress, 'officeAddress')}`, left, doc.y, { width, lineGap: 4 });
    doc.text(`联系电话：${requireText(p.officeTelephone, 'officeTelephone')}`, left, doc.y, { width, lineGap: 4 });
    doc.fontSize(BODY_SIZE);
  }

  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** Who issues notices, and where an applicant may seek review or sue (printed on every notice). */
export const AUTHORITIES = {
  issuingAuthority: '新乡县民政局',
  reviewAuthority: '新乡县人民政府',
  court: '新乡县人民法院',
};
