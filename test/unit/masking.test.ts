import { maskIdNumber, maskName, maskPhone } from '../../domain/masking';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['张三丰', '张**'],
    ['王小明', '王**'],
    ['李', '*'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳锋', '欧阳*'],
    ['司马光', '司马*'],
    ['诸葛亮', '诸葛*'],
    ['上官婉儿', '上官**'],
    ['东方朔', '东方*'],
    ['皇甫嵩', '皇甫*'],
    ['尉迟恭', '尉迟*'],
    ['公孙胜', '公孙*'],
    ['慕容复', '慕容*'],
    ['长孙无忌', '长孙**'],
    ['宇文泰', '宇文*'],
    ['司徒雷登', '司徒**'],
    ['夏侯惇', '夏侯*'],
    // Two characters starting like a compound surname are surname + given name: keeping both would show it all.
    ['欧阳', '欧*'],
    ['司马', '司*'],
    // Not a compound surname: only the first character is kept.
    ['东郭先生', '东***'],
    // Code points, not UTF-16 units: the rare 𠀋 (outside the BMP) masks to one '*'.
    ['张𠀋', '张*'],
    ['𠀋一二', '𠀋**'],
    // Transliterated minority names keep their separator.
    ['迪丽热巴·迪力木拉提', '迪***·*****'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it.each([
    ['John', 'J***'],
    ['John Smith', 'J*** *****'],
    ['Mary-Jane', 'M***-****'],
    ["O'Brien", "O'*****"],
    ['A', '*'],
    ['Al', 'A*'],
  ])('Latin %s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('trims surrounding whitespace and leaves an empty name empty', () => {
    expect(maskName('  张三丰 ')).toBe('张**');
    expect(maskName('')).toBe('');
    expect(maskName('   ')).toBe('');
  });

  it('never shows more than the surname', () => {
    for (const name of ['张三', '张三丰', '欧阳娜娜', '司马光', 'John Smith']) {
      const masked = maskName(name);
      expect(Array.from(masked)).toHaveLength(Array.from(name).length);
      expect(masked).not.toBe(name);
    }
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['11010519491231002x', '110105********002X'],
    ['410721198001011231', '410721********1231'],
    ['  410721198001011231 ', '410721********1231'],
  ])('%s → %s', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
    expect(maskIdNumber(id)).toHaveLength(18);
  });

  it('hides the birth date', () => {
    expect(maskIdNumber('11010519491231002X')).not.toContain('19491231');
  });

  it.each([
    ['', ''],
    ['1234', '****'],
    ['41072119800101123', '*****************'],
    ['410721800101123', '***************'],
    ['4107211980010112311', '*******************'],
  ])('masks %j of the wrong length entirely', (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['13800138000', '138****8000'],
    [' 138 0013 8000 ', '138****8000'],
    ['138-0013-8000', '138****8000'],
    ['0373-5551234', '037****1234'],
    ['+8613800138000', '+86*******8000'],
    ['03735551234567', '037*******4567'],
    ['5551234', '*******'],
    ['110', '***'],
    ['', ''],
  ])('%j → %j', (p, masked) => {
    expect(maskPhone(p)).toBe(masked);
  });

  it('never shows the middle four digits of a mobile number', () => {
    expect(maskPhone('13912345678')).not.toContain('1234');
  });
});
