// An ID-number field checked as the person types: the verdict (or the birth date and sex it encodes) under the input.
import { Input, Typography } from 'antd';
import { checkIdNumber } from './idNumberZh';
import { formatDate } from '../format';

export function IdNumberInput({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const v = value ?? '';
  const r = v.trim().length ? checkIdNumber(v) : undefined;
  return (
    <>
      <Input id={id} value={v} maxLength={18} onChange={(e) => onChange?.(e.target.value.toUpperCase())} status={r && !r.valid && v.length >= 18 ? 'error' : undefined} />
      {r && (
        <Typography.Text type={r.valid ? 'success' : 'secondary'} style={{ fontSize: 12 }} data-testid="id-check">
          {r.valid ? `✓ 校验通过：出生日期 ${formatDate(r.birthDate)} · ${r.sex === 'F' ? '女' : '男'}` : r.messageZh}
        </Typography.Text>
      )}
    </>
  );
}

/** A Form rule: the number must pass the check before the form is sent. */
export const idNumberRule = {
  validator: async (_: unknown, v: string | undefined) => {
    if (!v) throw new Error('请填写身份证号');
    const r = checkIdNumber(v);
    if (!r.valid) throw new Error(r.messageZh);
  },
};
