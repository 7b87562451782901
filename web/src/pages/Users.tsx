// 用户管理 (admins): the console's users in the admin's region — create, change role/region/department, reset the
// password, deactivate.
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { DEPARTMENT_ZH, ROLE_ZH } from '../../../domain/glossary-zh';
import { DEPARTMENTS, ROLES, Role, Department } from '../../../domain/glossary';
import { api, ApiError } from '../api/client';
import { useRegions } from '../api/reference';
import type { Paged } from '../api/types';
import { formatDateTime } from '../format';

interface UserRow { id: string; username: string; name: string; role: Role; regionCode: string; department: Department | null; active: boolean; createdAt: string; lastLoginAt: string | null }
type Editing = { mode: 'create' } | { mode: 'edit'; user: UserRow };

export default function Users() {
  const { message } = App.useApp();
  const regions = useRegions();
  const [data, setData] = useState<Paged<UserRow>>();
  const [editing, setEditing] = useState<Editing>();
  const [form] = Form.useForm();
  const role = Form.useWatch('role', form) as Role | undefined;
  const load = useCallback(() => { void api<Paged<UserRow>>('/users?limit=500').then(setData); }, []);
  useEffect(load, [load]);

  const open = (e: Editing) => {
    setEditing(e);
    form.resetFields();
    if (e.mode === 'edit') form.setFieldsValue({ name: e.user.name, role: e.user.role, regionCode: e.user.regionCode, department: e.user.department ?? undefined, active: e.user.active });
  };
  const save = async () => {
    const v = await form.validateFields();
    const body = { ...v, department: v.role === 'department' ? v.department : null, ...(v.password ? {} : { password: undefined }) };
    try {
      if (editing?.mode === 'edit') await api(`/users/${editing.user.id}`, { method: 'PATCH', body });
      else await api('/users', { method: 'POST', body });
      message.success('已保存');
      setEditing(undefined);
      load();
    } catch (e) {
      const err = e as ApiError;
      message.error(err.issues.length ? `${err.messageZh}：${err.issues.map((i) => i.messageZh).join('；')}` : err.messageZh);
    }
  };

  return (
    <Card title="用户管理" extra={<Button type="primary" onClick={() => open({ mode: 'create' })}>新建用户</Button>}>
      <Table<UserRow> rowKey="id" size="middle" dataSource={data?.items ?? []} loading={!data} pagination={{ pageSize: 50 }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'name' },
          { title: '角色', dataIndex: 'role', render: (r: Role, u) => `${ROLE_ZH[r]}${u.department ? `（${DEPARTMENT_ZH[u.department]}）` : ''}` },
          { title: '辖区', dataIndex: 'regionCode', render: (c: string) => regions.name(c) },
          { title: '状态', dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '最近登录', dataIndex: 'lastLoginAt', render: formatDateTime },
          { title: '操作', key: 'op', render: (_, u) => <Button size="small" onClick={() => open({ mode: 'edit', user: u })}>修改</Button> },
        ]} />
      <Modal open={!!editing} title={editing?.mode === 'edit' ? `修改用户 ${editing.user.username}` : '新建用户'} onOk={() => void save()} onCancel={() => setEditing(undefined)} okText="保存" destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {editing?.mode === 'create' && <Form.Item name="username" label="用户名" rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._-]{1,63}$/, message: '小写字母、数字、点、下划线或连字符' }]}><Input /></Form.Item>}
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}><Select options={ROLES.map((r) => ({ value: r, label: ROLE_ZH[r] }))} /></Form.Item>
          {role === 'department' && <Form.Item name="department" label="部门" rules={[{ required: true, message: '请选择部门' }]}><Select options={DEPARTMENTS.map((d) => ({ value: d, label: DEPARTMENT_ZH[d] }))} /></Form.Item>}
          <Form.Item name="regionCode" label="辖区" rules={[{ required: true, message: '请选择辖区' }]}><Select options={regions.list.filter((r) => r.level !== 'VILLAGE').map((r) => ({ value: r.code, label: r.name }))} /></Form.Item>
          <Form.Item name="password" label={editing?.mode === 'edit' ? '重置密码（不修改请留空）' : '初始密码'} rules={[{ required: editing?.mode === 'create', min: 10, message: '至少10个字符' }]}><Input.Password autoComplete="new-password" /></Form.Item>
          {editing?.mode === 'edit' && <Form.Item name="active" label="启用" valuePropName="checked"><Switch /></Form.Item>}
        </Form>
      </Modal>
    </Card>
  );
}
