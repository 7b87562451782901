// 办理: the completion form of one task, generated from the outcomes and data schemas GET /tasks/:id hands out. The
// workflow's validator has the last word; its refusal is shown in Chinese with the fields it names.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Radio, Spin } from 'antd';
import { api, ApiError } from '../api/client';
import type { CaseDetail, TaskForm, TaskView } from '../api/types';
import { cleanValues, SchemaFields } from '../forms/SchemaForm';
import { formatDate } from '../format';
import { urgency } from '../urgency';

type Loaded = TaskView & { form: TaskForm };

export function TaskDrawer({ taskId, onClose, onDone }: { taskId?: string; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [task, setTask] = useState<Loaded>();
  const [assessed, setAssessed] = useState<Record<string, unknown>>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const outcome = Form.useWatch('outcome', form) as string | undefined;

  useEffect(() => {
    setTask(undefined);
    setError(undefined);
    setAssessed(undefined);
    form.resetFields();
    if (!taskId) return;
    api<Loaded>(`/tasks/${encodeURIComponent(taskId)}`).then(async (t) => {
      setTask(t);
      // The county officer decides on the assessment: its category and amount are the starting point.
      if (t.type === 'confirm') {
        const c = await api<CaseDetail>(`/cases/${t.caseId}`);
        if (c.assessment) setAssessed({ category: c.assessment.category ?? undefined, monthlyAmount: c.assessment.monthlyAmount });
      }
    }, (e) => setError(e as ApiError));
  }, [taskId, form]);

  const submit = async (v: { outcome: string; data?: unknown; comment?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/tasks/${encodeURIComponent(taskId!)}/complete`, { method: 'POST', body: { outcome: v.outcome, data: cleanValues(v.data) ?? {}, ...(v.comment ? { comment: v.comment } : {}) } });
      message.success(`已办结：${task?.form.label ?? ''}`);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK', '无法连接服务器', null));
    } finally {
      setBusy(false);
    }
  };

  const chosen = task?.form.outcomes.find((o) => o.outcome === outcome);
  const u = urgency(task?.workingDaysLeft);
  return (
    <Drawer open={!!taskId} onClose={onClose} width={640} destroyOnHidden title={task ? `办理：${task.form.label}` : '办理'}>
      {!task && !error && <Spin />}
      {task && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 16 }} items={[
            { key: 's', label: '救助对象', children: task.subjectName ?? '—' },
            { key: 'r', label: '乡镇', children: task.regionName ?? '—' },
            { key: 'd', label: '到期日', children: formatDate(task.dueOn) },
            { key: 'u', label: '剩余时间', children: u.text },
          ]} />
          <Form form={form} layout="vertical" onFinish={submit} preserve={false} data-testid="task-form">
            <Form.Item name="outcome" label="办理结果" rules={[{ required: true, message: '请选择办理结果' }]}>
              <Radio.Group options={task.form.outcomes.map((o) => ({ value: o.outcome, label: o.label }))} optionType="button" />
            </Form.Item>
            {chosen && <SchemaFields key={`${chosen.outcome}:${assessed ? 1 : 0}`} schema={chosen.schema} path={['data']} defaults={chosen.outcome === 'APPROVED' ? assessed : undefined} />}
            <Form.Item name="comment" label="备注"><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            {error && (
              <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="task-error" message={error.messageZh}
                description={error.issues.length ? <ul style={{ margin: 0 }}>{error.issues.map((i, k) => <li key={k}>{i.messageZh ?? i.message}</li>)}</ul> : undefined} />
            )}
            <Button type="primary" htmlType="submit" loading={busy}>提交</Button>
          </Form>
        </>
      )}
      {!task && error && <Alert type="error" message={error.messageZh} />}
    </Drawer>
  );
}
