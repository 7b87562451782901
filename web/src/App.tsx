// The frame every page shares: sign-in gate, menu by role, who is signed in, sign-out; pages load on demand so the
// inbox is not kept waiting by the diagram and chart libraries.
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { ROLE_ZH, DEPARTMENT_ZH } from '../../domain/glossary-zh';
import { currentSession, onSessionChange, saveSession, Session } from './api/session';
import { canSee, homeOf, Page } from './roles';
import { Login } from './pages/Login';
import { Inbox } from './pages/Inbox';

const CasePage = lazy(() => import('./pages/CasePage'));
const Cases = lazy(() => import('./pages/Cases'));
const NewApplication = lazy(() => import('./pages/NewApplication'));
const NewEmergency = lazy(() => import('./pages/NewEmergency'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Recipients = lazy(() => import('./pages/Recipients'));
const Roster = lazy(() => import('./pages/Roster'));
const Users = lazy(() => import('./pages/Users'));

const MENU: { page: Page; path: string; label: string }[] = [
  { page: 'inbox', path: '/inbox', label: '我的待办' },
  { page: 'cases', path: '/cases', label: '案件' },
  { page: 'application', path: '/applications/new', label: '新申请' },
  { page: 'emergency', path: '/emergencies/new', label: '小额先行救助' },
  { page: 'dashboard', path: '/dashboard', label: '督办' },
  { page: 'recipients', path: '/recipients', label: '保障对象' },
  { page: 'roster', path: '/roster', label: '发放花名册' },
  { page: 'users', path: '/users', label: '用户管理' },
];

function useSession(): Session | null {
  const [s, setS] = useState(currentSession);
  useEffect(() => onSessionChange(setS), []);
  // A token that runs out while the tab sits idle sends the person back to the sign-in page.
  useEffect(() => {
    const t = setInterval(() => { if (s && !currentSession()) saveSession(null); }, 30_000);
    return () => clearInterval(t);
  }, [s]);
  return s;
}

export function App() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (!session) {
    return location.pathname === '/login' ? <Login /> : <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  const { user } = session;
  const items = MENU.filter((m) => canSee(user.role, m.page));
  const selected = items.find((m) => location.pathname.startsWith(m.path))?.path ?? '';
  const who = `${user.name} · ${ROLE_ZH[user.role]}${user.department ? `（${DEPARTMENT_ZH[user.department]}）` : ''} · ${user.regionName ?? user.regionCode}`;
  return (
    <Layout>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', paddingInline: 24 }}>
        <Link to={homeOf(user.role)} className="doudi-brand">兜底 · 社会救助经办</Link>
        <Menu theme="dark" mode="horizontal" selectedKeys={[selected]} style={{ flex: 1, minWidth: 0 }}
          items={items.map((m) => ({ key: m.path, label: <Link to={m.path}>{m.label}</Link> }))} />
        <Space>
          <Typography.Text style={{ color: '#fff' }} data-testid="who">{who}</Typography.Text>
          <Button size="small" onClick={() => { saveSession(null); navigate('/login'); }}>退出</Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="doudi-content">
        <Suspense fallback={<Spin style={{ margin: 48 }} />}>
          <Routes>
            <Route path="/" element={<Navigate to={homeOf(user.role)} replace />} />
            <Route path="/login" element={<Navigate to={homeOf(user.role)} replace />} />
            <Route path="/inbox" element={<Inbox />} />
            <Route path="/cases" element={<Cases />} />
            <Route path="/cases/:id" element={<CasePage />} />
            <Route path="/applications/new" element={<NewApplication />} />
            <Route path="/emergencies/new" element={<NewEmergency />} />
            <Route path="/dashboard" element={<Dashboard />} />
            <Route path="/recipients" element={<Recipients />} />
            <Route path="/roster" element={<Roster />} />
            <Route path="/users" element={<Users />} />
            <Route path="*" element={<Typography.Title level={4}>页面不存在</Typography.Title>} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
