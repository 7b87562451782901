// 小额先行救助: report an emergency and pay the small advance at once (POST /emergencies); the cap refusal is shown
// with the cap itself. The justification follows later as a task in the inbox.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, InputNumber, Select } from 'antd';
import { RESIDENCE_ZH } from '../../../domain/glossary-zh';
import { api, ApiError } from '../api/client';
import { useRegions } from '../api/reference';
import { currentSession } from '../api/session';
import { IdNumberInput, idNumberRule } from '../components/IdNumberInput';

const HARDSHIP_ZH: Record<string, string> = { ILLNESS: '突发重病', ACCIDENT: '意外事故', DISASTER: '自然灾害', OTHER: '其他急难' };
const opts = (t: Record<string, string>) => Object.entries(t).map(([value, label]) => ({ value, label }));

interface EmergencyForm { regionCode: string; name: string; idNumber: string; residence: string; hardship: string; description: string; requestedAmount: number }

export default function NewEmergency() {
  const navigate = useNavigate();
  const me = currentSession()!.user;
  const regions = useRegions();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => crypto.randomUUID(), []);
  const townships = regions.list.filter((r) => r.level === 'TOWNSHIP' && r.code.startsWith(me.regionCode.slice(0, 9)));

  const submit = async (v: EmergencyForm) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ caseId: string }>('/emergencies', {
        method: 'POST', headers: { 'Idempotency-Key': key },
        body: { regionCode: v.regionCode, person: { name: v.name.trim(), idNumber: v.idNumber.trim() }, residence: v.residence, hardship: v.hardship, description: v.description, requestedAmount: v.requestedAmount },
      });
      navigate(`/cases/${r.caseId}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const cap = error?.code === 'ADVANCE_OVER_CAP' ? (error.details as { cap?: number } | null)?.cap : undefined;

  return (
    <Card title="小额先行救助" style={{ maxWidth: 720 }}>
      <Form layout="vertical" onFinish={submit} data-testid="emergency-form" initialValues={{ residence: 'RURAL', hardship: 'ILLNESS', regionCode: me.regionCode.length === 9 ? me.regionCode : undefined }}>
        <Form.Item name="regionCode" label="发生地乡镇" rules={[{ required: true, message: '请选择乡镇' }]}><Select options={townships.map((t) => ({ value: t.code, label: t.name }))} /></Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={50} /></Form.Item>
        <Form.Item name="idNumber" label="身份证号" rules={[idNumberRule]} validateTrigger="onBlur"><IdNumberInput /></Form.Item>
        <Form.Item name="residence" label="户籍类型（决定救助上限）"><Select options={opts(RESIDENCE_ZH)} /></Form.Item>
        <Form.Item name="hardship" label="困难类型"><Select options={opts(HARDSHIP_ZH)} /></Form.Item>
        <Form.Item name="description" label="急难情况" rules={[{ required: true, message: '请说明情况' }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        <Form.Item name="requestedAmount" label="先行救助金额（元）" rules={[{ required: true, message: '请填写金额' }]}><InputNumber min={0.01} precision={2} style={{ width: 200 }} /></Form.Item>
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="emergency-error"
          message={cap !== undefined ? `${error.messageZh}：上限为 ${cap} 元` : error.messageZh}
          description={error.issues.length ? <ul style={{ margin: 0 }}>{error.issues.map((i, k) => <li key={k}>{i.messageZh ?? i.message}</li>)}</ul> : undefined} />}
        <Button type="primary" htmlType="submit" loading={busy}>发放先行救助</Button>
      </Form>
    </Card>
  );
}
