// 督办: every policy time limit of the region — counts by township, kind and status (ECharts), the overdue list (most
// late first) and the near-due list, each with its escalation ladder. Monitoring warnings get their place here when
// they arrive (a later issue).
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, Col, Empty, Row, Select, Statistic, Table, Tag } from 'antd';
import { DEADLINE_KIND_ZH, DEADLINE_STATUS_ZH } from '../../../domain/glossary-zh';
import { api } from '../api/client';
import { useRegions } from '../api/reference';
import { currentSession } from '../api/session';
import type { Deadline, Paged } from '../api/types';
import { EChart, ChartOption } from '../components/EChart';
import { EscalationLadder } from '../components/EscalationLadder';
import { formatDate } from '../format';

interface Count { township: string; kind: string; status: string; count: number }
const STATUS_COLOR: Record<string, string> = { pending: '#1677ff', overdue: '#cf1322', met: '#52c41a', cancelled: '#bfbfbf' };

export default function Dashboard() {
  const me = currentSession()!.user;
  const regions = useRegions();
  const [kind, setKind] = useState<string>();
  const [counts, setCounts] = useState<Count[]>([]);
  const [overdue, setOverdue] = useState<Paged<Deadline>>();
  const [nearDue, setNearDue] = useState<Paged<Deadline>>();

  useEffect(() => {
    const k = kind ? `&kind=${kind}` : '';
    void api<{ items: Count[] }>('/deadlines/summary').then((r) => setCounts(r.items));
    void api<Paged<Deadline>>(`/deadlines?status=overdue&sort=lateness&limit=100${k}`).then(setOverdue);
    void api<Paged<Deadline>>(`/deadlines?dueWithin=2wd&limit=100${k}`).then(setNearDue);
  }, [kind]);

  const shown = useMemo(() => counts.filter((c) => !kind || c.kind === kind), [counts, kind]);
  const byTownship = useMemo<ChartOption>(() => {
    const towns = [...new Set(shown.map((c) => c.township))].sort();
    return {
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: towns.map((t) => regions.name(t)) }, yAxis: { type: 'value', minInterval: 1 },
      series: Object.keys(DEADLINE_STATUS_ZH).map((s) => ({
        name: DEADLINE_STATUS_ZH[s], type: 'bar', stack: 'all', itemStyle: { color: STATUS_COLOR[s] },
        data: towns.map((t) => shown.filter((c) => c.township === t && c.status === s).reduce((n, c) => n + c.count, 0)),
      })),
    };
  }, [shown, regions]);
  const byKind = useMemo<ChartOption>(() => {
    const kinds = [...new Set(shown.map((c) => c.kind))];
    return {
      tooltip: { trigger: 'item' }, legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], data: kinds.map((k) => ({ name: DEADLINE_KIND_ZH[k] ?? k, value: shown.filter((c) => c.kind === k && c.status !== 'cancelled').reduce((n, c) => n + c.count, 0) })) }],
    };
  }, [shown]);
  const total = (s: string) => shown.filter((c) => c.status === s).reduce((n, c) => n + c.count, 0);

  const columns = [
    { title: '时限', dataIndex: 'kind', render: (k: string) => DEADLINE_KIND_ZH[k] ?? k },
    { title: '乡镇', dataIndex: 'regionCode', render: (r: string) => regions.name(r) },
    { title: '到期日', dataIndex: 'dueOn', render: formatDate },
    { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={s === 'overdue' ? 'red' : 'blue'}>{DEADLINE_STATUS_ZH[s]}</Tag> },
    { title: '督办层级', key: 'ladder', width: 360, render: (_: unknown, d: Deadline) => <EscalationLadder deadline={d} /> },
    { title: '案件', dataIndex: 'caseId', render: (id: string) => <Link to={`/cases/${id}`}>查看案件</Link> },
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card title={`督办 · ${me.regionName ?? me.regionCode}`} extra={<Select allowClear placeholder="全部时限种类" style={{ width: 200 }} value={kind} onChange={setKind}
          options={Object.entries(DEADLINE_KIND_ZH).map(([value, label]) => ({ value, label }))} />}>
          <Row gutter={16}>
            <Col span={6}><Statistic title="已超期" value={total('overdue')} valueStyle={{ color: '#cf1322' }} /></Col>
            <Col span={6}><Statistic title="未到期" value={total('pending')} /></Col>
            <Col span={6}><Statistic title="已按期办结" value={total('met')} valueStyle={{ color: '#389e0d' }} /></Col>
            <Col span={6}><Statistic title="两个工作日内到期" value={nearDue?.total ?? 0} valueStyle={{ color: '#d46b08' }} /></Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} lg={14}><Card title="各乡镇时限情况" size="small"><EChart option={byTownship} testId="chart-townships" /></Card></Col>
      <Col xs={24} lg={10}><Card title="时限种类" size="small"><EChart option={byKind} testId="chart-kinds" /></Card></Col>
      <Col span={24}>
        <Card title={`超期未办（${overdue?.total ?? 0}）`} size="small" data-testid="overdue-list">
          <Table<Deadline> rowKey="id" size="small" dataSource={overdue?.items ?? []} columns={columns} pagination={{ pageSize: 10 }} />
        </Card>
      </Col>
      <Col span={24}>
        <Card title={`即将到期（两个工作日内，${nearDue?.total ?? 0}）`} size="small" data-testid="near-due-list">
          <Table<Deadline> rowKey="id" size="small" dataSource={nearDue?.items ?? []} columns={columns} pagination={{ pageSize: 10 }} />
        </Card>
      </Col>
      <Col span={24}>
        <Card title="动态监测预警" size="small" data-testid="monitoring-warnings">
          <Alert type="info" showIcon message="监测预警接入后在此显示" description="低收入人口动态监测的预警（部门数据比对、返贫风险）由后续版本提供；届时预警将按乡镇列出，并可直接转为申请或核查。" />
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无预警" />
        </Card>
      </Col>
    </Row>
  );
}
