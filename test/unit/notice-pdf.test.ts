import {
  renderRefusalNotice,
  renderTerminationNotice,
  type RefusalNoticeInput,
  type TerminationNoticeInput,
} from '../../engine/notices/pdf';
import { extractText, squash } from '../support/pdf-text';

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

describe('issue 10, item 10: a notice is a proper document', () => {
  const particulars = {
    legalBasis: '《最低生活保障审核确认办法》（民发〔2021〕57号）',
    figures: ['家庭月人均收入500元，当地低保标准420元/人/月'],
    officeAddress: '新乡县七里营镇政府街1号',
    officeTelephone: '0373-5551234',
  };

  it('carries the legal basis, the figures, the office address and telephone, and a seal place', async () => {
    const text = squash(extractText(await renderRefusalNotice({ ...refusal, particulars })));
    for (const s of [
      '法律依据：《最低生活保障审核确认办法》（民发〔2021〕57号）',
      '核算情况：家庭月人均收入500元，当地低保标准420元/人/月',
      '地址：新乡县七里营镇政府街1号',
      '联系电话：0373-5551234',
      '（印章）',
      '签发日期：（草稿，未签发）',
    ])
      expect(text).toContain(squash(s));
  });

  it('is dated the day it was issued, not the decision date', async () => {
    const text = squash(
      extractText(await renderRefusalNotice({ ...refusal, particulars: { ...particulars, issuedOn: '2025-04-15' } })),
    );
    expect(text).toContain('2025年4月15日');
    expect(text).not.toContain('草稿');
    const term = squash(
      extractText(
        await renderTerminationNotice({ ...termination, particulars: { ...particulars, issuedOn: '2025-05-06' } }),
      ),
    );
    expect(term).toContain('2025年5月6日');
    expect(term).toContain('联系电话：0373-5551234');
  });
});
