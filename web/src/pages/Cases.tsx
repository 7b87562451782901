// 案件: the cases of the person's region, newest first, paged by the API's cursor.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Select, Table, Tag } from 'antd';
import { CASE_STATUS_ZH, PROCESS_ZH, STEP_ZH } from '../../../domain/glossary-zh';
import { api } from '../api/client';
import { useRegions } from '../api/reference';
import type { Paged } from '../api/types';
import { formatDate } from '../format';

interface CaseRow { id: string; process: string; status: string; regionCode: string; activeSteps: string[]; receivedOn: string; applicantName: string | null }

export default function Cases() {
  const regions = useRegions();
  const [status, setStatus] = useState<string>();
  const [page, setPage] = useState({ current: 1, size: 20 });
  const [data, setData] = useState<Paged<CaseRow>>();
  useEffect(() => {
    const q = new URLSearchParams({ limit: String(page.size), offset: String((page.current - 1) * page.size), ...(status ? { status } : {}) });
    void api<Paged<CaseRow>>(`/cases?${q}`).then(setData);
  }, [status, page]);
  return (
    <Card title="案件" extra={<Select allowClear placeholder="按状态筛选" style={{ width: 180 }} value={status} onChange={(v) => { setStatus(v); setPage((p) => ({ ...p, current: 1 })); }}
      options={Object.entries(CASE_STATUS_ZH).map(([value, label]) => ({ value, label }))} />}>
      <Table<CaseRow> rowKey="id" size="middle" dataSource={data?.items ?? []} loading={!data}
        pagination={{ current: page.current, pageSize: page.size, total: data?.total ?? 0, showTotal: (n) => `共 ${n} 件`, onChange: (current, size) => setPage({ current, size }) }}
        columns={[
          { title: '申请人', dataIndex: 'applicantName', render: (n: string | null, c) => <Link to={`/cases/${c.id}`}>{n ?? '（无）'}</Link> },
          { title: '类型', dataIndex: 'process', render: (p: string) => PROCESS_ZH[p] ?? p },
          { title: '乡镇', dataIndex: 'regionCode', render: (r: string) => regions.name(r) },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{CASE_STATUS_ZH[s] ?? s}</Tag> },
          { title: '当前环节', dataIndex: 'activeSteps', render: (a: string[]) => a.map((s) => STEP_ZH[s] ?? s).join('、') || '—' },
          { title: '申请日期', dataIndex: 'receivedOn', render: formatDate },
        ]} />
    </Card>
  );
}
