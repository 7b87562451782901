// 发放花名册: the monthly payment roster of the region, on screen and as CSV, Excel or PDF (ID numbers masked).
import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Space, Statistic, Table } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { CATEGORY_ZH } from '../../../domain/glossary-zh';
import type { AssistanceCategory } from '../../../domain/glossary';
import { api, ApiError, download } from '../api/client';
import { formatMonth, formatYuan } from '../format';

interface Line { paymentId: string; regionName: string | null; regionCode: string; month: string; category: string; amount: number; headName: string | null; headIdNumberMasked: string | null; householdSize: number | null }
interface RosterPage { month: string; region: string; lines: number; totalAmount: number; items: Line[]; next: string | null }

export default function Roster() {
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const [data, setData] = useState<RosterPage>();
  const m = month.format('YYYY-MM');
  useEffect(() => { void api<RosterPage>(`/payments?month=${m}&limit=1000`).then(setData, () => setData(undefined)); }, [m]);
  const get = (ext: 'csv' | 'xlsx' | 'pdf') => download(`/payments/roster.${ext}?month=${m}`, `花名册-${m}.${ext}`)
    .catch((e) => message.error(e instanceof ApiError ? e.messageZh : '下载失败'));
  return (
    <Card title="发放花名册" extra={
      <Space>
        <DatePicker picker="month" value={month} onChange={(d) => d && setMonth(d)} format="YYYY年M月" allowClear={false} />
        <Button onClick={() => void get('csv')}>下载 CSV</Button>
        <Button onClick={() => void get('xlsx')} data-testid="roster-xlsx">下载 Excel</Button>
        <Button onClick={() => void get('pdf')}>下载 PDF</Button>
      </Space>
    }>
      <Space size={48} style={{ marginBottom: 16 }}>
        <Statistic title="月份" value={formatMonth(m)} />
        <Statistic title="户数" value={data?.lines ?? 0} />
        <Statistic title="合计金额" value={formatYuan(data?.totalAmount ?? 0)} />
      </Space>
      <Table<Line> rowKey="paymentId" size="small" dataSource={data?.items ?? []} pagination={{ pageSize: 50 }}
        columns={[
          { title: '序号', key: 'n', render: (_, __, i) => i + 1 },
          { title: '乡镇', dataIndex: 'regionName', render: (n: string | null, l) => n ?? l.regionCode },
          { title: '户主姓名', dataIndex: 'headName' },
          { title: '身份证号（脱敏）', dataIndex: 'headIdNumberMasked' },
          { title: '家庭人口', dataIndex: 'householdSize' },
          { title: '类别', dataIndex: 'category', render: (c: string) => CATEGORY_ZH[c as AssistanceCategory] ?? c },
          { title: '金额', dataIndex: 'amount', render: formatYuan },
        ]} />
    </Card>
  );
}
