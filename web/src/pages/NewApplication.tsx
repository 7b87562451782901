// 新申请: a household applies for 低保/特困. Members with ID numbers checked as typed (birth date taken from the
// number), incomes, assets and rigid expenditure; POST /applications with an Idempotency-Key so a double click
// makes one case.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import {
  DISABILITY_ZH, INCOME_KIND_ZH, LABOR_CAPACITY_ZH, RELATION_ZH, RESIDENCE_ZH, SOURCE_ZH, STUDENT_LEVEL_ZH,
} from '../../../domain/glossary-zh';
import { parseIdNumber } from '../../../domain/idNumber';
import { api, ApiError } from '../api/client';
import { useRegions } from '../api/reference';
import { currentSession } from '../api/session';
import { IdNumberInput, idNumberRule } from '../components/IdNumberInput';
import { DATE_FORMATS } from '../format';

const opts = (t: Record<string, string>) => Object.entries(t).map(([value, label]) => ({ value, label }));

interface MemberForm { name: string; idNumber: string; relation: string; laborCapacity: string; seriousIllness?: boolean; studentLevel: string; employed?: boolean; disabilityCategory?: string; disabilityGrade?: number }
interface AppForm {
  regionCode: string; source: string; receivedOn?: Dayjs; address?: string; residence: string; members: MemberForm[];
  incomes?: { member: number; kind: string; monthlyAmount: number }[];
  assets: Record<string, number>; rigid: Record<string, number>;
}

/** Numbers left empty count as 0. */
const filled = (o: Record<string, number | undefined> | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, n]) => n != null));

export function toApplication(v: AppForm) {
  const memberId = (i: number) => `m${i + 1}`;
  return {
    regionCode: v.regionCode, source: v.source, ...(v.receivedOn ? { receivedOn: v.receivedOn.format('YYYY-MM-DD') } : {}), ...(v.address ? { address: v.address } : {}),
    people: v.members.map((m, i) => ({ memberId: memberId(i), name: m.name.trim(), idNumber: m.idNumber.trim() })),
    household: {
      residence: v.residence,
      members: v.members.map((m, i) => {
        const id = parseIdNumber(m.idNumber);
        return {
          memberId: memberId(i), relation: m.relation, birthDate: id.valid ? id.birthDate : '', laborCapacity: m.laborCapacity, seriousIllness: !!m.seriousIllness,
          studentLevel: m.studentLevel, employed: !!m.employed, ...(m.disabilityCategory && m.disabilityGrade ? { disability: { category: m.disabilityCategory, grade: m.disabilityGrade } } : {}),
        };
      }),
      incomes: (v.incomes ?? []).map((x) => ({ memberId: memberId(x.member), kind: x.kind, monthlyAmount: x.monthlyAmount })),
      assets: { deposits: 0, vehicles: 0, vehicleValue: 0, extraHousing: 0, businessAssets: 0, ...filled(v.assets) },
      rigidExpenditure12m: { medical: 0, education: 0, rehabilitation: 0, ...filled(v.rigid) },
      legalSupporters: [],
    },
  };
}

export default function NewApplication() {
  const navigate = useNavigate();
  const me = currentSession()!.user;
  const regions = useRegions();
  const [form] = Form.useForm<AppForm>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => crypto.randomUUID(), []);
  const members = Form.useWatch('members', form) ?? [];
  const townships = regions.list.filter((r) => r.level === 'TOWNSHIP' && r.code.startsWith(me.regionCode.slice(0, Math.min(me.regionCode.length, 9))));

  const submit = async (v: AppForm) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ caseId: string }>('/applications', { method: 'POST', body: toApplication(v), headers: { 'Idempotency-Key': key } });
      navigate(`/cases/${r.caseId}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="新申请（低保、特困供养）">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="application-form"
        initialValues={{ source: 'SELF_DECLARED', residence: 'RURAL', regionCode: me.regionCode.length === 9 ? me.regionCode : undefined,
          members: [{ relation: 'APPLICANT', laborCapacity: 'FULL', studentLevel: 'NONE' }], assets: {}, rigid: {} }}>
        <Row gutter={16}>
          <Col span={6}><Form.Item name="regionCode" label="户籍所在乡镇" rules={[{ required: true, message: '请选择乡镇' }]}>
            <Select options={townships.map((t) => ({ value: t.code, label: t.name }))} /></Form.Item></Col>
          <Col span={6}><Form.Item name="residence" label="户籍类型" rules={[{ required: true }]}><Select options={opts(RESIDENCE_ZH)} /></Form.Item></Col>
          <Col span={6}><Form.Item name="source" label="申请来源"><Select options={opts(SOURCE_ZH)} /></Form.Item></Col>
          <Col span={6}><Form.Item name="receivedOn" label="申请日期（纸质申请在先时填写）">
            <DatePicker format={DATE_FORMATS} disabledDate={(d) => d.isAfter(dayjs(), 'day')} /></Form.Item></Col>
        </Row>
        <Form.Item name="address" label="家庭住址"><Input maxLength={200} /></Form.Item>

        <Form.List name="members">
          {(fields, { add, remove }) => (
            <Card size="small" title="家庭成员" extra={<Button size="small" onClick={() => add({ relation: 'CHILD', laborCapacity: 'NONE', studentLevel: 'NONE' })}>添加成员</Button>} style={{ marginBottom: 16 }}>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" type="inner" title={`成员 ${i + 1}`} style={{ marginBottom: 8 }} extra={i > 0 && <Button size="small" danger onClick={() => remove(f.name)}>删除</Button>}>
                  <Row gutter={12}>
                    <Col span={4}><Form.Item name={[f.name, 'name']} label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item></Col>
                    <Col span={7}><Form.Item name={[f.name, 'idNumber']} label="身份证号" rules={[idNumberRule]} validateTrigger="onBlur"><IdNumberInput /></Form.Item></Col>
                    <Col span={4}><Form.Item name={[f.name, 'relation']} label="与申请人关系"><Select options={opts(RELATION_ZH)} disabled={i === 0} /></Form.Item></Col>
                    <Col span={4}><Form.Item name={[f.name, 'laborCapacity']} label="劳动能力"><Select options={opts(LABOR_CAPACITY_ZH)} /></Form.Item></Col>
                    <Col span={5}><Form.Item name={[f.name, 'studentLevel']} label="在校情况"><Select options={opts(STUDENT_LEVEL_ZH)} /></Form.Item></Col>
                    <Col span={3}><Form.Item name={[f.name, 'seriousIllness']} label="患重病" valuePropName="checked"><Switch /></Form.Item></Col>
                    <Col span={3}><Form.Item name={[f.name, 'employed']} label="就业" valuePropName="checked"><Switch /></Form.Item></Col>
                    <Col span={5}><Form.Item name={[f.name, 'disabilityCategory']} label="残疾类别"><Select allowClear options={opts(DISABILITY_ZH)} /></Form.Item></Col>
                    <Col span={4}><Form.Item name={[f.name, 'disabilityGrade']} label="残疾等级"><Select allowClear options={[1, 2, 3, 4].map((g) => ({ value: g, label: `${g}级` }))} /></Form.Item></Col>
                  </Row>
                </Card>
              ))}
            </Card>
          )}
        </Form.List>

        <Form.List name="incomes">
          {(fields, { add, remove }) => (
            <Card size="small" title="家庭月收入" extra={<Button size="small" onClick={() => add({ member: 0, kind: 'WAGES' })}>添加收入</Button>} style={{ marginBottom: 16 }}>
              {fields.length === 0 && <Typography.Text type="secondary">无收入时不必填写</Typography.Text>}
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'member']} label="成员"><Select style={{ width: 160 }} options={members.map((m, i) => ({ value: i, label: `成员 ${i + 1} ${m?.name ?? ''}` }))} /></Form.Item>
                  <Form.Item name={[f.name, 'kind']} label="收入类型"><Select style={{ width: 160 }} options={opts(INCOME_KIND_ZH)} /></Form.Item>
                  <Form.Item name={[f.name, 'monthlyAmount']} label="月收入（元）" rules={[{ required: true, message: '请填写金额' }]}><InputNumber min={0} precision={2} /></Form.Item>
                  <Button size="small" danger onClick={() => remove(f.name)}>删除</Button>
                </Space>
              ))}
            </Card>
          )}
        </Form.List>

        <Card size="small" title="家庭财产与近12个月刚性支出" style={{ marginBottom: 16 }}>
          <Space wrap>
            <Form.Item name={['assets', 'deposits']} label="存款（元）"><InputNumber min={0} precision={2} /></Form.Item>
            <Form.Item name={['assets', 'vehicles']} label="车辆数"><InputNumber min={0} precision={0} /></Form.Item>
            <Form.Item name={['assets', 'vehicleValue']} label="车辆价值（元）"><InputNumber min={0} precision={2} /></Form.Item>
            <Form.Item name={['assets', 'extraHousing']} label="第二套及以上住房"><InputNumber min={0} precision={0} /></Form.Item>
            <Form.Item name={['assets', 'businessAssets']} label="经营性资产（元）"><InputNumber min={0} precision={2} /></Form.Item>
            <Form.Item name={['rigid', 'medical']} label="医疗支出（元）"><InputNumber min={0} precision={2} /></Form.Item>
            <Form.Item name={['rigid', 'education']} label="教育支出（元）"><InputNumber min={0} precision={2} /></Form.Item>
            <Form.Item name={['rigid', 'rehabilitation']} label="康复支出（元）"><InputNumber min={0} precision={2} /></Form.Item>
          </Space>
        </Card>

        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error.messageZh} data-testid="application-error"
          description={error.issues.length ? <ul style={{ margin: 0 }}>{error.issues.map((i, k) => <li key={k}>{i.messageZh ?? i.message}</li>)}</ul> : undefined} />}
        <Button type="primary" htmlType="submit" loading={busy}>提交申请</Button>
      </Form>
    </Card>
  );
}
