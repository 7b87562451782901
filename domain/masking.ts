// Masking for long-term public lists of recipients (docs/policy.md §8.1): enough to recognise one's own entry,
// not enough to identify a stranger. Pure so any layer, workflows included, can use it.

/**
 * Two-character surnames kept whole, so '欧阳娜娜' shows as '欧阳**' rather than '欧***' and still reads as a
 * surname the family recognises.
 */
const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
]);

// Separators in transliterated minority names (迪丽热巴·迪力木拉提) and Latin names carry no identity, so they stay.
const SEPARATORS: ReadonlySet<string> = new Set([' ', '·', '•', '・', '-', "'", '.']);

function maskRest(chars: string[]): string {
  return chars.map((c) => (SEPARATORS.has(c) ? c : '*')).join('');
}

/**
 * Keeps the surname and replaces every other character with '*': '张三丰' → '张**', '欧阳娜娜' → '欧阳**',
 * 'John Smith' → 'J*** *****'. A one-character name becomes '*'.
 */
export function maskName(name: string): string {
  // Array.from splits by code point, so a rare character outside the BMP (e.g. 𠀋) masks to one '*', not two.
  const chars = Array.from((name ?? '').trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  // A two-character name such as '欧阳' is surname 欧 + given name 阳; keeping both would reveal the whole name.
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
  return chars.slice(0, keep).join('') + maskRest(chars.slice(keep));
}

/**
 * First 6 (region) and last 4 kept, the 8 birth-date digits masked: '410721********123X'. Anything that is not
 * 18 characters is masked entirely, since there is no telling which part of it is safe to show.
 */
export function maskIdNumber(id: string): string {
  const s = (id ?? '').trim();
  if (s.length !== 18) return '*'.repeat(s.length);
  return s.slice(0, 6) + '********' + s.slice(14).toUpperCase();
}

/**
 * 11-digit mobile numbers as '138****1234'. Other numbers of 8+ characters keep their first 3 and last 4;
 * shorter ones are masked entirely, as showing 7 of 7 would hide nothing.
 */
export function maskPhone(p: string): string {
  const s = (p ?? '').trim().replace(/[\s-]/g, '');
  if (/^\d{11}$/.test(s)) return s.slice(0, 3) + '****' + s.slice(7);
  if (s.length >= 8) return s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
  return '*'.repeat(s.length);
}
