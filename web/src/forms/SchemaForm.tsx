// Form fields generated from a JSON Schema: the schemas GET /tasks/:id hands out, made from the zod schemas the
// workflow validates with, so every task type and outcome has its form without a page of its own. Labels are the
// schema's Chinese titles; enum values are shown in Chinese; dates are stored as YYYY-MM-DD strings.
import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { Dayjs } from 'dayjs';
import { DATE_FORMATS } from '../format';
import type { JsonSchema } from '../api/types';

export type { JsonSchema };
import { FIELD_ZH } from '../../../domain/glossary-zh';
import { choices, fieldKind, unwrap, valueLabel } from './fieldKind';


type Path = (string | number)[];

const dateProps = {
  getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined }),
  normalize: (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined),
};

/** `defaults`: starting values of this level's fields (e.g. the assessed category and amount for an approval). */
export function SchemaFields({ schema, path, defaults }: { schema: JsonSchema; path: Path; defaults?: Record<string, unknown> }) {
  const s = unwrap(schema);
  const required = new Set(s.required ?? []);
  return (
    <>
      {Object.entries(s.properties ?? {}).map(([k, child]) => (
        <SchemaField key={k} field={k} schema={child} name={[...path, k]} required={required.has(k)} initial={defaults?.[k] ?? undefined} />
      ))}
    </>
  );
}

function SchemaField({ field, schema, name, required, initial }: { field: string; schema: JsonSchema; name: Path; required: boolean; initial?: unknown }) {
  const s = unwrap(schema);
  const label = s.title ?? FIELD_ZH[field] ?? field;
  const rules: Rule[] = required ? [{ required: true, message: `请填写${label}` }] : [];
  const kind = fieldKind(s, field);
  const options = (choices(s) ?? choices(unwrap(s.items)) ?? []).map((v) => ({ value: v as string, label: valueLabel(field, v) }));
  const min = s.minItems ?? 0;
  const count: Rule[] = min > 0 ? [{ type: 'array', min, message: `${label}至少${min}项` }] : [];

  switch (kind) {
    case 'object':
      return required
        ? <Card size="small" title={label} style={{ marginBottom: 12 }}><SchemaFields schema={s} path={name} /></Card>
        : <OptionalObject label={label} schema={s} name={name} />;
    case 'objectList':
      return <ObjectList label={label} item={unwrap(s.items)} name={name} min={min} max={s.maxItems} />;
    case 'multiSelect':
      return <Form.Item name={name} label={label} rules={[...rules, ...count]}><Select mode="multiple" options={options} /></Form.Item>;
    case 'tags':
      return (
        <Form.Item name={name} label={label} rules={[...rules, ...count]}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={['，', ',', '；', ';']} placeholder="逐项输入，按回车确认" />
        </Form.Item>
      );
    case 'select':
      return <Form.Item name={name} label={label} rules={rules} initialValue={initial}><Select allowClear={!required} options={options} /></Form.Item>;
    case 'boolean':
      return <Form.Item name={name} label={label} valuePropName="checked" initialValue={required ? false : undefined}><Switch /></Form.Item>;
    case 'number':
    case 'integer':
      return (
        <Form.Item name={name} label={label} rules={rules} initialValue={initial}>
          <InputNumber style={{ width: 200 }} min={s.minimum ?? s.exclusiveMinimum} max={s.maximum} precision={kind === 'integer' ? 0 : 2} />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item name={name} label={label} rules={rules} {...dateProps}>
          <DatePicker format={DATE_FORMATS} disabledDate={field === 'effectiveOn' ? (d) => d.isAfter(dayjs(), 'day') : undefined} />
        </Form.Item>
      );
    default: {
      const text: Rule[] = [
        ...(s.minLength ? [{ min: s.minLength, message: `${label}至少${s.minLength}个字` }] : []),
        ...(s.maxLength ? [{ max: s.maxLength, message: `${label}最多${s.maxLength}个字` }] : []),
      ];
      return (
        <Form.Item name={name} label={label} rules={[...rules, ...text]}>
          {kind === 'longText' ? <Input.TextArea rows={3} maxLength={s.maxLength} /> : <Input maxLength={s.maxLength} />}
        </Form.Item>
      );
    }
  }
}

/** An optional part (e.g. the verified household): left out unless the person switches it on. */
function OptionalObject({ label, schema, name }: { label: string; schema: JsonSchema; name: Path }) {
  const [on, setOn] = useState(false);
  return (
    <Card size="small" style={{ marginBottom: 12 }}
      title={<Space>{label}<Switch size="small" checked={on} onChange={setOn} aria-label={`填写${label}`} /><span style={{ fontWeight: 'normal', color: '#888' }}>{on ? '' : '（可选，未填写）'}</span></Space>}>
      {on && <SchemaFields schema={schema} path={name} />}
    </Card>
  );
}

function ObjectList({ label, item, name, min, max }: { label: string; item: JsonSchema; name: Path; min: number; max?: number }) {
  return (
    <Form.List name={name} initialValue={min > 0 ? Array.from({ length: min }, () => ({})) : undefined}>
      {(fields, { add, remove }) => (
        <Card size="small" title={label} style={{ marginBottom: 12 }}
          extra={<Button size="small" disabled={max !== undefined && fields.length >= max} onClick={() => add({})}>添加</Button>}>
          {fields.map((f, i) => (
            <Card key={f.key} size="small" type="inner" title={`第${i + 1}项`} style={{ marginBottom: 8 }}
              extra={<Button size="small" danger disabled={fields.length <= min} onClick={() => remove(f.name)}>删除</Button>}>
              <SchemaFields schema={item} path={[f.name]} />
            </Card>
          ))}
        </Card>
      )}
    </Form.List>
  );
}

/** Form values as the API wants them: no empty strings, no undefined keys, no empty optional objects. */
export function cleanValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cleanValues).filter((x) => x !== undefined);
  if (dayjs.isDayjs(v)) return v.format('YYYY-MM-DD');
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = cleanValues(x);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === '' || v === null ? undefined : v;
}
