// 案件: one case as the office reads it — household and members, the assessment criterion by criterion, the diagram
// with where the case stands, deadlines, decisions, notices (PDF preview) and the audit trail.
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Modal, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import {
  CASE_STATUS_ZH, CATEGORY_ZH, DEADLINE_KIND_ZH, DEADLINE_STATUS_ZH, INCOME_KIND_ZH, LABOR_CAPACITY_ZH, OUTCOME_ZH, PROCESS_ZH,
  RELATION_ZH, RESIDENCE_ZH, STEP_ZH, TASK_STATUS_ZH, TASK_TYPE_ZH,
} from '../../../domain/glossary-zh';
import type { AssistanceCategory } from '../../../domain/glossary';
import { api, apiFetch, ApiError } from '../api/client';
import { useRegions } from '../api/reference';
import type { CaseDetail, Deadline } from '../api/types';
import { BpmnView } from '../components/BpmnView';
import { EscalationLadder } from '../components/EscalationLadder';
import { explainCriterion } from '../case/criteria';
import { finishedSteps } from '../case/steps';
import { actorZh, describeEntry, reasonZh } from '../case/timeline';
import { formatDate, formatDateTime, formatMonth, formatYuan } from '../format';

const DEADLINE_COLOR: Record<string, string> = { pending: 'blue', met: 'green', overdue: 'red', cancelled: 'default' };

export default function CasePage() {
  const { id } = useParams();
  const { message } = App.useApp();
  const regions = useRegions();
  const [c, setC] = useState<CaseDetail>();
  const [error, setError] = useState<ApiError>();
  const [pdf, setPdf] = useState<{ url: string; title: string }>();

  const load = useCallback(() => {
    api<CaseDetail>(`/cases/${id}`).then((x) => { setC(x); setError(undefined); }, (e) => setError(e as ApiError));
  }, [id]);
  useEffect(load, [load]);

  const preview = async (noticeId: string, title: string) => {
    try {
      const blob = await (await apiFetch(`/notices/${encodeURIComponent(noticeId)}/pdf`)).blob();
      setPdf({ url: URL.createObjectURL(blob), title });
    } catch (e) {
      message.error(e instanceof ApiError ? e.messageZh : '告知书加载失败');
    }
  };

  if (error) return <Alert type="error" showIcon message={error.status === 404 ? '案件不存在，或不在您的辖区内' : error.messageZh} data-testid="case-error" />;
  if (!c) return <Card loading />;
  const done = finishedSteps(c);
  const economy = (c.household?.economy ?? {}) as { incomes?: { memberId: string; kind: string; monthlyAmount: number }[]; assets?: Record<string, number>; members?: { memberId: string; laborCapacity: string }[] };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space align="baseline" wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-title">{c.applicantName ?? '案件'}</Typography.Title>
          <Tag color="geekblue">{PROCESS_ZH[c.process] ?? c.process}</Tag>
          <Tag color="volcano" data-testid="case-status">{CASE_STATUS_ZH[c.status] ?? c.status}</Tag>
          <Typography.Text type="secondary">当前环节：<span data-testid="active-steps">{c.activeSteps.map((s) => STEP_ZH[s] ?? s).join('、') || '无（已办结）'}</span></Typography.Text>
          <Button size="small" onClick={load}>刷新</Button>
        </Space>
        <Descriptions size="small" column={4} style={{ marginTop: 12 }} items={[
          { key: 'r', label: '乡镇', children: regions.name(c.regionCode) },
          { key: 'v', label: '村（社区）', children: c.household?.villageCode ? regions.name(c.household.villageCode) : '—' },
          { key: 'res', label: '户籍', children: RESIDENCE_ZH[c.household?.residence ?? ''] ?? '—' },
          { key: 'rec', label: '申请日期', children: formatDate(c.receivedOn) },
          { key: 'acc', label: '受理日期', children: formatDate(c.acceptedOn) },
          { key: 'dec', label: '决定日期', children: formatDate(c.decidedOn) },
          ...(c.returnedMissing?.length ? [{ key: 'm', label: '退回缺件', children: c.returnedMissing.join('、') }] : []),
        ]} />
      </Card>

      <Card title="办理流程" extra={<Typography.Text type="secondary">实时显示当前所处环节</Typography.Text>}>
        <BpmnView process={c.process} active={c.activeSteps} done={done} />
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="家庭成员" size="small">
            <Table size="small" rowKey="memberId" pagination={false} dataSource={c.household?.members ?? []} columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '身份证号', dataIndex: 'idNumber' },
              { title: '关系', dataIndex: 'relation', render: (r: string) => RELATION_ZH[r] ?? r },
              { title: '出生日期', dataIndex: 'birthDate', render: (d: string | null) => formatDate(d) },
              { title: '性别', dataIndex: 'sex', render: (s: string) => (s === 'F' ? '女' : '男') },
              { title: '劳动能力', key: 'labor', render: (_, m) => LABOR_CAPACITY_ZH[economy.members?.find((x) => x.memberId === m.memberId)?.laborCapacity ?? ''] ?? '—' },
            ]} />
            {economy.incomes && (
              <Descriptions size="small" column={1} style={{ marginTop: 12 }} title="收入与财产（核实后）" items={[
                { key: 'i', label: '月收入', children: economy.incomes.length ? economy.incomes.map((i) => `${INCOME_KIND_ZH[i.kind] ?? i.kind} ${formatYuan(i.monthlyAmount)}`).join('；') : '无' },
                { key: 'a', label: '存款', children: formatYuan(economy.assets?.deposits) },
                { key: 'v', label: '车辆', children: `${economy.assets?.vehicles ?? 0} 辆` },
              ]} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="系统评估" size="small" data-testid="assessment">
            {c.assessment ? (
              <>
                <Descriptions size="small" column={2} items={[
                  { key: 'c', label: '认定类别', children: c.assessment.category ? CATEGORY_ZH[c.assessment.category as AssistanceCategory] : '不符合救助条件' },
                  { key: 'a', label: '月救助金额', children: formatYuan(c.assessment.monthlyAmount) },
                  { key: 'p', label: '月人均收入', children: formatYuan(c.assessment.perCapitaMonthlyIncome) },
                  { key: 'd', label: '评估日期', children: formatDate(c.assessment.asOf) },
                ]} />
                <ul style={{ listStyle: 'none', paddingLeft: 0, marginTop: 8 }}>
                  {c.assessment.criteria.map((k) => (
                    <li key={k.id} style={{ marginBottom: 6 }} data-criterion={k.id}>
                      {k.passed ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleTwoTone twoToneColor="#bfbfbf" />} {explainCriterion(k, (m) => c.household?.members.find((x) => x.memberId === m)?.name ?? m)}
                    </li>
                  ))}
                </ul>
              </>
            ) : <Empty description="调查完成后系统自动评估" />}
          </Card>
        </Col>
      </Row>

      <Card title="时限" size="small">
        <Table<Deadline> size="small" rowKey="id" pagination={false} dataSource={c.deadlines} columns={[
          { title: '时限', dataIndex: 'kind', render: (k: string) => DEADLINE_KIND_ZH[k] ?? k },
          { title: '起算日', dataIndex: 'startedOn', render: formatDate },
          { title: '期限', key: 'len', render: (_, d) => (d.workingDays != null ? `${d.workingDays} 个工作日` : `${d.calendarDays} 天`) + (d.extensionDays ? `（延长 ${d.extensionDays} 个工作日）` : '') },
          { title: '到期日', dataIndex: 'dueOn', render: formatDate },
          { title: '状态', dataIndex: 'status', render: (s: string, d) => <Tag color={DEADLINE_COLOR[s]}>{DEADLINE_STATUS_ZH[s] ?? s}{d.metLate ? '（逾期办结）' : ''}</Tag> },
          { title: '督办', key: 'ladder', render: (_, d) => <EscalationLadder deadline={d} compact /> },
        ]} />
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title="决定" size="small">
            {c.decisions.length ? c.decisions.map((d) => (
              <Descriptions key={d.id} size="small" column={2} items={[
                { key: 'o', label: '结果', children: <Tag color={d.outcome === 'APPROVED' ? 'green' : 'red'}>{OUTCOME_ZH[d.outcome] ?? d.outcome}</Tag> },
                { key: 'd', label: '决定日期', children: formatDate(d.decidedOn) },
                ...(d.category ? [{ key: 'c', label: '类别', children: CATEGORY_ZH[d.category as AssistanceCategory] ?? d.category }] : []),
                ...(d.monthlyAmount != null ? [{ key: 'a', label: '月金额', children: formatYuan(d.monthlyAmount) }] : []),
                ...(d.startMonth ? [{ key: 's', label: '起始月份', children: formatMonth(d.startMonth) }] : []),
                ...(d.reasons?.length ? [{ key: 'r', label: '理由', children: d.reasons.join('；') }] : []),
                ...(d.deviation ? [{ key: 'x', label: '偏离评估理由', children: d.deviationReason }] : []),
              ]} />
            )) : <Empty description="尚未作出决定" />}
          </Card>
          <Card title="告知书" size="small" style={{ marginTop: 16 }}>
            {c.notices.length ? c.notices.map((n) => (
              <Space key={n.id} style={{ display: 'flex', marginBottom: 8 }}>
                <Typography.Text>{n.kind === 'REFUSAL' ? '不予救助告知书' : n.kind === 'TERMINATION' ? '终止救助告知书' : n.kind}</Typography.Text>
                <Typography.Text type="secondary">{n.noticeNo}</Typography.Text>
                <Tag color={n.status === 'ISSUED' ? 'green' : 'gold'}>{n.status === 'ISSUED' ? `已送达 ${formatDate(n.issuedAt)}` : '待送达'}</Tag>
                <Button size="small" onClick={() => void preview(n.id, n.noticeNo)}>预览 PDF</Button>
              </Space>
            )) : <Empty description="无告知书" />}
          </Card>
          <Card title="任务" size="small" style={{ marginTop: 16 }}>
            <Table size="small" rowKey="id" pagination={false} dataSource={c.tasks} columns={[
              { title: '任务', dataIndex: 'type', render: (t: string) => TASK_TYPE_ZH[t] ?? t },
              { title: '状态', dataIndex: 'status', render: (s: string) => TASK_STATUS_ZH[s] ?? s },
              { title: '结果', dataIndex: 'outcome', render: (o: string | null) => (o ? OUTCOME_ZH[o] ?? o : '—') },
              { title: '办理人', dataIndex: 'completedBy', render: (x: string | null, t) => x ?? t.assignee ?? '—' },
              { title: '办结时间', dataIndex: 'completedAt', render: formatDateTime },
            ]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title="办理记录" size="small" data-testid="timeline">
            <Timeline items={c.timeline.map((e, i) => ({
              key: i, children: (
                <>
                  <Typography.Text>{describeEntry(e)}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(e.at)} · {actorZh(e.actor)}{e.reason ? ` · ${reasonZh(e.reason)}` : ''}</Typography.Text>
                </>
              ),
            }))} />
          </Card>
        </Col>
      </Row>

      <Modal open={!!pdf} title={`告知书 ${pdf?.title ?? ''}`} width={900} footer={null} onCancel={() => { if (pdf) URL.revokeObjectURL(pdf.url); setPdf(undefined); }}>
        {pdf && (
          <>
            <iframe title="告知书" src={pdf.url} style={{ width: '100%', height: 640, border: 0 }} data-testid="notice-pdf" />
            <a href={pdf.url} download={`${pdf.title}.pdf`}>下载 PDF</a>
          </>
        )}
      </Modal>
    </Space>
  );
}
