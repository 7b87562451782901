// Pure parts of the population database: the ID number keys, department rows, the per-person advance cap.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText, formatOf, readDepartmentFile, type FileRow } from '../../data/import/department-file';
import { generateKeySet, lookupHash, openIdNumber, parseKeySet, sealIdNumber } from '../../data/id-keys';
import { recordFromFileRow, validateRecord } from '../../domain/assistance-records';
import { advancePeriod, checkAdvancePeriod } from '../../domain/emergency';
import { checkCharacter } from '../../domain/idNumber';

const first17 = '41072119750615002';
const ID = first17 + checkCharacter(first17);

describe('ID number keys', () => {
  const keys = parseKeySet(generateKeySet('k1'), 'test');
  it('hashes exactly and deterministically under the lookup key, differently under another', () => {
    expect(lookupHash(ID, keys).equals(lookupHash(ID, keys))).toBe(true);
    expect(lookupHash(ID, keys)).toHaveLength(32);
    expect(lookupHash(ID, keys).equals(lookupHash(ID, parseKeySet(generateKeySet(), 'other')))).toBe(false);
  });
  it('seals with a fresh IV each time and opens only with the right key', () => {
    const a = sealIdNumber(ID, keys);
    const b = sealIdNumber(ID, keys);
    expect(a.cipher.equals(b.cipher)).toBe(false);
    expect(a.cipher.includes(Buffer.from(ID))).toBe(false);
    expect(openIdNumber(a, keys)).toBe(ID);
    const other = parseKeySet(generateKeySet('k1'), 'other');
    expect(() => openIdNumber(a, other)).toThrow();
    // The key id is authenticated: a row cannot claim to be sealed with another configured key.
    const two = parseKeySet(
      JSON.stringify({
        lookup: keys.lookup.toString('base64'),
        current: 'k1',
        keys: { k1: keys.keys.k1.toString('base64'), k2: keys.keys.k1.toString('base64') },
      }),
      'two',
    );
    expect(() => openIdNumber({ ...a, keyId: 'k2' }, two)).toThrow();
  });
  it('refuses a malformed key set with the expected shape in the message', () => {
    expect(() => parseKeySet('{"lookup":"abc","current":"k1","keys":{}}', 'env')).toThrow(/DOUDI_ID_KEYS = /);
    expect(() => parseKeySet(JSON.stringify({ ...JSON.parse(generateKeySet('k1')), current: 'k9' }), 'env')).toThrow(
      /current names a key/,
    );
  });
});

describe('department rows', () => {
  const row = { reference: 'YB-1', idNumber: ID, kind: 'MEDICAL_SUBSIDY', period: '2026', grantedOn: '2026-03-01' };
  it('accepts a row of the department’s own kind and normalises the ID number', () => {
    const r = validateRecord({ ...row, idNumber: ID.toLowerCase() }, 'MEDICAL_INSURANCE', '2026-06-01');
    expect(r).toMatchObject({ ok: true, record: { idNumber: ID, birthDate: '1975-06-15', sex: 'F' } });
  });
  it('gives every reason at once, never repeating the number', () => {
    const r = validateRecord(
      { ...row, kind: 'EDUCATION_AID', grantedOn: '2026-07-01' },
      'MEDICAL_INSURANCE',
      '2026-06-01',
    );
    expect(r).toEqual({
      ok: false,
      reasons: ['kind: MEDICAL_INSURANCE does not report EDUCATION_AID', 'grantedOn: in the future'],
    });
    const bad = validateRecord({ ...row, idNumber: first17 + 'Y' }, 'MEDICAL_INSURANCE', '2026-06-01');
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain(first17);
    expect(validateRecord({ ...row, period: '2026-13' }, 'MEDICAL_INSURANCE', '2026-06-01')).toEqual({
      ok: false,
      reasons: ['period: YYYY or YYYY-MM'],
    });
  });
  it('reads Chinese headers, amounts and extra columns from a file row', () => {
    expect(
      recordFromFileRow({
        编号: 'A1',
        身份证号: ID,
        救助类别: 'CHARITY',
        所属期间: '2026-02',
        金额: '12.50',
        项目: '助学',
        空: '',
      }),
    ).toEqual({
      reference: 'A1',
      idNumber: ID,
      kind: 'CHARITY',
      period: '2026-02',
      amount: 12.5,
      details: { 项目: '助学' },
    });
  });
});

describe('per-person advance cap over a rolling period', () => {
  const period = advancePeriod({}, 420);
  it('defaults to one month of the local dibao standard in 30 days', () => {
    expect(period).toEqual({ days: 30, cap: 420 });
    expect(advancePeriod({ advancePeriodCapMonths: 1.5, advancePeriodDays: 60 }, 630)).toEqual({ days: 60, cap: 945 });
  });
  it('allows up to the cap exactly and refuses one fen more', () => {
    expect(checkAdvancePeriod(20, 400, period)).toBeUndefined();
    expect(checkAdvancePeriod(420, 0, period)).toBeUndefined();
    const refused = checkAdvancePeriod(20.01, 400, period);
    expect(refused).toMatchObject({ code: 'ADVANCE_PERIOD_CAP_EXCEEDED', details: { remaining: 20, periodCap: 420 } });
    expect(checkAdvancePeriod(420, 400, period)?.details.alternatives.join(' ')).toMatch(/STAGED_ASSISTANCE/);
    expect(checkAdvancePeriod(1, 500, period)?.details.remaining).toBe(0);
  });
});

describe('department files', () => {
  const rowsOf = async (input: Buffer, format: 'csv' | 'xlsx') => {
    const out: FileRow[] = [];
    for await (const r of readDepartmentFile(Readable.from([input]), format)) out.push(r);
    return out;
  };
  it('tells the format by name, else by content type', () => {
    expect(formatOf('a.CSV')).toBe('csv');
    expect(formatOf('a.xlsx', 'text/csv')).toBe('xlsx');
    expect(formatOf(undefined, 'text/csv; charset=utf-8')).toBe('csv');
    expect(formatOf(undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('xlsx');
    expect(formatOf('a.xls', 'application/octet-stream')).toBeUndefined();
  });
  it('reads CSV cells as text (an ID number stays a string), skips blank lines, strips the BOM', async () => {
    const csv = `\uFEFFidNumber,amount,note\n${ID},12.50,"a, b"\n,,\n${ID},7,\n`;
    expect(await rowsOf(Buffer.from(csv), 'csv')).toEqual([
      { line: 2, cells: { idNumber: ID, amount: '12.50', note: 'a, b' } },
      { line: 4, cells: { idNumber: ID, amount: '7', note: '' } },
    ]);
  });
  it('reads the first XLSX sheet: dates as ISO dates, numbers as text, rich text as its text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('a');
    ws.addRow(['idNumber', 'grantedOn', 'amount', 'note']);
    ws.addRow([ID, new Date('2026-03-15T00:00:00Z'), 400, { richText: [{ text: '全' }, { text: '额' }] }]);
    wb.addWorksheet('b').addRow(['ignored']);
    const rows = await rowsOf(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(rows).toEqual([{ line: 2, cells: { idNumber: ID, grantedOn: '2026-03-15', amount: '400', note: '全额' } }]);
    expect(cellText({ formula: 'A1+1', result: 3 })).toBe('3');
    expect(cellText(null)).toBe('');
  });
});
