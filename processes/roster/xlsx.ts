// The roster (发放花名册) as an Excel workbook: the same lines and masking as the CSV, with a title row, typed
// amounts and a total. Written with exceljs's streaming writer, a page of lines at a time, so memory stays flat.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { rosterLines, spreadsheetText } from './export';
import { CATEGORY_ZH } from '../../domain/glossary-zh';

const COLUMNS: { header: string; key: string; width: number }[] = [
  { header: '序号', key: 'n', width: 8 },
  { header: '乡镇', key: 'region', width: 14 },
  { header: '区划代码', key: 'code', width: 14 },
  { header: '户主姓名', key: 'name', width: 12 },
  { header: '身份证号（脱敏）', key: 'id', width: 22 },
  { header: '家庭人口', key: 'size', width: 10 },
  { header: '救助类别', key: 'category', width: 14 },
  { header: '发放月份', key: 'month', width: 10 },
  { header: '金额（元）', key: 'amount', width: 12 },
  { header: '救助对象编号', key: 'recipient', width: 38 },
  { header: '付款编号', key: 'payment', width: 52 },
];

export async function writeRosterXlsx(
  db: Knex,
  month: string,
  region: string,
  regionName: string,
  out: Writable,
): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Doudi';
  const ws = wb.addWorksheet(`${month}花名册`, { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const title = ws.addRow([`${regionName} ${month.replace('-', '年')}月 社会救助资金发放花名册`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const header = ws.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let n = 0;
  let totalFen = 0;
  for await (const l of rosterLines(db, month, region)) {
    n++;
    totalFen += Math.round(l.amount * 100);
    const row = ws.addRow({
      n,
      region: spreadsheetText(l.regionName ?? l.regionCode),
      code: l.regionCode,
      name: spreadsheetText(l.headName ?? ''),
      id: l.headIdNumberMasked ?? '',
      size: l.householdSize ?? '',
      category: spreadsheetText(CATEGORY_ZH[l.category as keyof typeof CATEGORY_ZH] ?? l.category),
      month: l.month,
      amount: l.amount,
      recipient: l.recipientId,
      payment: l.paymentId,
    });
    row.getCell('amount').numFmt = '0.00';
    row.commit();
  }
  const total = ws.addRow({ n: '合计', region: `${n} 户`, amount: totalFen / 100 });
  total.font = { bold: true };
  total.getCell('amount').numFmt = '0.00';
  total.commit();
  ws.commit();
  await wb.commit();
  return n;
}
