// The process diagram (BPMN 2.0 from GET /processes/:key/bpmn, element ids = the workflow's step ids) with the case's
// live position: active steps (GET /cases/:id activeSteps) in amber, finished ones in green.
import { useEffect, useRef, useState } from 'react';
import { Alert } from 'antd';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { apiFetch } from '../api/client';

interface Canvas { addMarker(id: string, marker: string): void; zoom(level: string): void }
interface Registry { get(id: string): unknown }

export function BpmnView({ process, active, done }: { process: string; active: string[]; done: string[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  const activeKey = active.join(',');
  const doneKey = done.join(',');

  useEffect(() => {
    if (!ref.current) return;
    const viewer = new NavigatedViewer({ container: ref.current });
    let cancelled = false;
    (async () => {
      const xml = await (await apiFetch(`/processes/${process}/bpmn`)).text();
      await viewer.importXML(xml);
      if (cancelled) return;
      const canvas = viewer.get<Canvas>('canvas');
      const registry = viewer.get<Registry>('elementRegistry');
      const mark = (ids: string[], marker: string) => { for (const id of ids) if (registry.get(id)) canvas.addMarker(id, marker); };
      mark(doneKey ? doneKey.split(',') : [], 'doudi-done');
      mark(activeKey ? activeKey.split(',') : [], 'doudi-active');
      canvas.zoom('fit-viewport');
      ref.current?.setAttribute('data-ready', 'true');
    })().catch(() => { if (!cancelled) setError('流程图加载失败'); });
    return () => { cancelled = true; viewer.destroy(); };
  }, [process, activeKey, doneKey]);

  return (
    <>
      {error && <Alert type="warning" message={error} />}
      <div ref={ref} className="doudi-bpmn" data-testid="bpmn" data-active-steps={activeKey} data-done-steps={doneKey} />
      <div className="doudi-legend" style={{ marginTop: 8, color: '#666' }}>
        <span style={{ background: '#fff3cd', borderColor: '#e65100' }} />当前环节
        <span style={{ background: '#e8f5e9', borderColor: '#2e7d32' }} />已完成
      </div>
    </>
  );
}
