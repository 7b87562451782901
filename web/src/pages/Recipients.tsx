// 保障对象: the recipient households of the region with category, amount and the next check.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Space, Table, Tag } from 'antd';
import { CATEGORY_ZH, HOUSEHOLD_TYPE_ZH, TASK_TYPE_ZH } from '../../../domain/glossary-zh';
import { ASSISTANCE_CATEGORIES, AssistanceCategory } from '../../../domain/glossary';
import { api } from '../api/client';
import { useRegions } from '../api/reference';
import type { Paged } from '../api/types';
import { formatDate, formatMonth, formatYuan } from '../format';

interface RecipientRow {
  id: string; caseId: string; applicationCaseId: string; regionCode: string; status: string; category: string; monthlyAmount: number; householdType: string | null;
  startMonth: string; stopMonth: string | null; determinedOn: string; headName: string | null; nextCheck: { type: string; on: string } | null;
}

export default function Recipients() {
  const regions = useRegions();
  const [filter, setFilter] = useState<{ status?: string; category?: string }>({ status: 'ACTIVE' });
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [data, setData] = useState<Paged<RecipientRow>>();
  useEffect(() => {
    const q = new URLSearchParams({ limit: String(page.size), offset: String((page.current - 1) * page.size) });
    if (filter.status) q.set('status', filter.status);
    if (filter.category) q.set('category', filter.category);
    void api<Paged<RecipientRow>>(`/recipients?${q}`).then(setData);
  }, [filter, page]);
  return (
    <Card title="保障对象" extra={
      <Space>
        <Select allowClear placeholder="状态" style={{ width: 120 }} value={filter.status} onChange={(status) => setFilter((f) => ({ ...f, status }))}
          options={[{ value: 'ACTIVE', label: '保障中' }, { value: 'TERMINATED', label: '已终止' }]} />
        <Select allowClear placeholder="类别" style={{ width: 150 }} value={filter.category} onChange={(category) => setFilter((f) => ({ ...f, category }))}
          options={ASSISTANCE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_ZH[c] }))} />
      </Space>
    }>
      <Table<RecipientRow> rowKey="id" size="middle" data-testid="recipients" dataSource={data?.items ?? []} loading={!data}
        pagination={{ current: page.current, pageSize: page.size, total: data?.total ?? 0, showTotal: (n) => `共 ${n} 户`, onChange: (current, size) => setPage({ current, size }) }}
        columns={[
          { title: '户主', dataIndex: 'headName', render: (n: string | null, r) => <Link to={`/cases/${r.applicationCaseId}`}>{n ?? '—'}</Link> },
          { title: '乡镇', dataIndex: 'regionCode', render: (c: string) => regions.name(c) },
          { title: '类别', dataIndex: 'category', render: (c: string) => <Tag color="red">{CATEGORY_ZH[c as AssistanceCategory] ?? c}</Tag> },
          { title: '月救助金额', dataIndex: 'monthlyAmount', render: formatYuan },
          { title: '家庭类型', dataIndex: 'householdType', render: (t: string | null) => (t ? HOUSEHOLD_TYPE_ZH[t] : '—') },
          { title: '认定日期', dataIndex: 'determinedOn', render: formatDate },
          { title: '发放起止', key: 'months', render: (_, r) => `${formatMonth(r.startMonth)} 起${r.stopMonth ? `，${formatMonth(r.stopMonth)} 停发` : ''}` },
          { title: '下次核查', dataIndex: 'nextCheck', render: (n: RecipientRow['nextCheck']) => (n ? `${TASK_TYPE_ZH[n.type] ?? n.type} ${formatDate(n.on)}` : '—') },
          { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'ACTIVE' ? <Tag color="green">保障中</Tag> : <Tag>已终止</Tag>) },
          { title: '', key: 'case', render: (_, r) => <Link to={`/cases/${r.caseId}`}>保障流程</Link> },
        ]} />
    </Card>
  );
}
