// How people read dates and money in the console: 2026年10月10日, ¥220.00. Dates arrive as YYYY-MM-DD or ISO instants;
// instants are shown on the Asia/Shanghai calendar whatever the browser's zone.

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const SHANGHAI_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** The Shanghai calendar date of an instant, YYYY-MM-DD. */
export const shanghaiDay = (instant: string | number | Date) => SHANGHAI.format(new Date(instant));

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : shanghaiDay(value);
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return `${formatDate(value)} ${SHANGHAI_TIME.format(new Date(value))}`;
}

export function formatMonth(month: string | null | undefined): string {
  if (!month) return '—';
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

export const formatYuan = (n: number | null | undefined) => (n == null ? '—' : `¥${Number(n).toFixed(2)}`);

export const todayShanghai = () => shanghaiDay(Date.now());

/** Date pickers show 2026年10月10日 and also take 2026-10-10 typed in. */
export const DATE_FORMATS = ['YYYY年M月D日', 'YYYY-MM-DD'];
