import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { href } from '../router';
import type { ValidationResult } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync } from '../ui';
import { ValidationBox } from './leaflet-editor';

export function FlowList() {
  const flows = useAsync(() => api.flows(), []);
  return (
    <Page
      title="Kịch bản hội thoại"
      actions={
        <a class="btn btn--ghost" href={href(['knowledge'])}>
          ← Kiến thức
        </a>
      }
    >
      <p class="muted">
        Mỗi kịch bản là một tệp YAML. Khi lưu, kịch bản được kiểm tra như lệnh <code>flows:check</code> rồi
        nạp lại ngay, không cần khởi động lại máy chủ.
      </p>
      <ErrorBanner error={flows.error} />
      {!flows.data && flows.loading && <Loading what="kịch bản" />}
      {flows.data && (
        <ul class="cards">
          {flows.data.items.map((f) => (
            <li key={f.id} class="card card--link">
              <a href={href(['knowledge', 'flows', f.id])}>{f.id}</a>
              {f.description && <div>{f.description}</div>}
              <div class="muted small">{f.file}</div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function FlowEditor({ id }: { id: string }) {
  const flow = useAsync(() => api.flow(id), [id]);
  const [yaml, setYaml] = useState('');
  const [saved, setSaved] = useState('');
  const [validation, setValidation] = useState<ValidationResult | undefined>(undefined);
  const save = useAction();
  const check = useAction();

  useEffect(() => {
    if (flow.data) {
      setYaml(flow.data.yaml);
      setSaved(flow.data.yaml);
    }
  }, [flow.data]);

  const onValidate = () =>
    check.run(async () => {
      setValidation(await api.validateFlow(id, yaml));
    });

  const onSave = () =>
    save.run(async () => {
      setValidation(undefined);
      await api.saveFlow(id, yaml);
      setSaved(yaml);
      return 'Đã lưu và nạp lại kịch bản.';
    });

  return (
    <Page
      title={`Kịch bản: ${id}`}
      actions={
        <a class="btn btn--ghost" href={href(['knowledge', 'flows'])}>
          ← Danh sách kịch bản
        </a>
      }
    >
      <ErrorBanner error={flow.error} />
      {!flow.data && flow.loading && <Loading what="kịch bản" />}
      {flow.data && (
        <>
          <div class="toolbar">
            <button type="button" class="btn btn--primary" onClick={() => void onSave()} disabled={save.busy}>
              {save.busy ? 'Đang lưu…' : 'Lưu và nạp lại'}
            </button>
            <button type="button" class="btn" onClick={() => void onValidate()} disabled={check.busy}>
              Kiểm tra
            </button>
            {yaml !== saved && <span class="badge badge--warn">Chưa lưu</span>}
          </div>
          <ActionMessages action={save} />
          <ErrorBanner error={check.error} />
          {validation && <ValidationBox result={validation} />}
          <label for="flow-yaml">Nội dung YAML</label>
          <textarea
            id="flow-yaml"
            class="code code--tall"
            value={yaml}
            spellcheck={false}
            onInput={(e) => setYaml(e.currentTarget.value)}
          />
        </>
      )}
    </Page>
  );
}
