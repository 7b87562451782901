// 我的待办: the open tasks of the person's region and role, soonest due first — whom each is about, where, how urgent —
// with claim and complete. performance marks `inbox-rendered` once the first rows are on screen (bench/console.ts).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PROCESS_ZH, ROLE_ZH, TASK_TYPE_ZH, DEPARTMENT_ZH } from '../../../domain/glossary-zh';
import type { Department } from '../../../domain/glossary';
import { api, ApiError } from '../api/client';
import { currentSession } from '../api/session';
import type { Paged, TaskView } from '../api/types';
import { formatDate } from '../format';
import { urgency } from '../urgency';
import { TaskDrawer } from './TaskDrawer';

const inboxPath = (filter: 'all' | 'mine') => `/tasks?limit=500${filter === 'mine' ? '&mine=true' : ''}`;

// The first inbox request leaves with the bundle's evaluation rather than after the first render (~0.3 s sooner).
let prefetched: Promise<Paged<TaskView>> | undefined = currentSession() && location.pathname === '/inbox'
  ? (performance.mark('inbox-fetch'), api<Paged<TaskView>>(inboxPath('all')))
  : undefined;
prefetched?.catch(() => undefined);

export function Inbox() {
  const { message } = App.useApp();
  const me = currentSession()!.user;
  const [filter, setFilter] = useState<'all' | 'mine'>('all');
  const [data, setData] = useState<Paged<TaskView>>();
  const [loading, setLoading] = useState(false);
  const [working, setWorking] = useState<string>();
  const [search, setSearch] = useState('');
  const marked = useRef(false);

  const load = useCallback(async () => {
    setLoading(true);
    const early = filter === 'all' ? prefetched : undefined;
    prefetched = undefined;
    if (!early) performance.mark('inbox-fetch');
    try {
      setData(await (early ?? api<Paged<TaskView>>(inboxPath(filter))));
    } catch (e) {
      message.error(e instanceof ApiError ? e.messageZh : '待办加载失败');
    } finally {
      setLoading(false);
    }
  }, [filter, message]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (data && !marked.current) {
      marked.current = true;
      requestAnimationFrame(() => performance.mark('inbox-rendered'));
    }
  }, [data]);

  const mayWork = (t: TaskView) => me.role === 'admin' || t.candidateRole === me.role;
  const claim = async (t: TaskView) => {
    try {
      await api(`/tasks/${encodeURIComponent(t.id)}/claim`, { method: 'POST' });
      message.success('已认领');
      void load();
    } catch (e) {
      message.error(e instanceof ApiError ? e.messageZh : '认领失败');
    }
  };

  const columns: ColumnsType<TaskView> = [
    {
      title: '任务', dataIndex: 'type', render: (type: string, t) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{TASK_TYPE_ZH[type] ?? type}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {PROCESS_ZH[t.process ?? ''] ?? ''}{t.department ? ` · ${DEPARTMENT_ZH[t.department as Department] ?? t.department}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '救助对象', dataIndex: 'subjectName', render: (n: string | null, t) => <Link to={`/cases/${t.caseId}`}>{n ?? '（未登记姓名）'}</Link> },
    { title: '乡镇', dataIndex: 'regionName', render: (n: string | null) => n ?? '—' },
    { title: '到期日', dataIndex: 'dueOn', render: (d: string | null) => formatDate(d) },
    {
      title: '剩余时间', dataIndex: 'workingDaysLeft', render: (n: number | null) => {
        const u = urgency(n);
        return <Tag color={u.color} data-urgency={u.level}>{u.text}</Tag>;
      },
    },
    {
      title: '办理人', dataIndex: 'assignee', render: (a: string | null, t) => a ? (a === me.username ? <Tag color="blue">我</Tag> : a) : <Typography.Text type="secondary">未认领（{ROLE_ZH[t.candidateRole]}）</Typography.Text>,
    },
    {
      title: '操作', key: 'actions', render: (_, t) => mayWork(t) ? (
        <Space>
          {!t.assignee && <Button size="small" onClick={() => void claim(t)}>认领</Button>}
          {(!t.assignee || t.assignee === me.username || me.role === 'admin') && <Button size="small" type="primary" onClick={() => setWorking(t.id)}>办理</Button>}
        </Space>
      ) : <Link to={`/cases/${t.caseId}`}>查看</Link>,
    },
  ];

  // Filters the loaded page on the screen: whom, where or what, as the person types.
  const q = search.trim();
  const rows = (data?.items ?? []).filter((t) => !q || [t.subjectName, t.regionName, TASK_TYPE_ZH[t.type]].some((x) => x?.includes(q)));

  return (
    <Card title={<Space>我的待办{data && <Tag data-testid="inbox-total">共 {data.total} 项</Tag>}</Space>}
      extra={<Space><Input.Search allowClear placeholder="按姓名、乡镇或任务筛选" style={{ width: 240 }} value={search} onChange={(e) => setSearch(e.target.value)} aria-label="筛选待办" />
        <Segmented value={filter} onChange={(v) => setFilter(v as 'all' | 'mine')} options={[{ value: 'all', label: '全部待办' }, { value: 'mine', label: '我认领的' }]} /></Space>}>
      <Table rowKey="id" size="middle" loading={loading} columns={columns} dataSource={rows} data-testid="inbox"
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => `共 ${n} 项` }} />
      <TaskDrawer taskId={working} onClose={() => setWorking(undefined)} onDone={() => { setWorking(undefined); void load(); }} />
    </Card>
  );
}
