import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { RebuildStatus, resetRebuild, startRebuild } from '../rebuild';
import { href, navigate } from '../router';
import type * as MarkdownLib from '../markdown';
import type { Leaflet, ValidationResult } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useDebounced, useSession } from '../ui';

function newLeafletTemplate(): string {
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  return `---
id: ma-to-roi-moi
title: Tiêu đề tờ rơi
topic: hop_dong
audience: người lao động
sources: []
valid_from: ${today}
review_by: ${nextYear}
tags: []
---

## Câu hỏi của người lao động?
Câu trả lời ngắn gọn, dễ hiểu.
Hỏi cách khác: cách hỏi khác 1 | cách hỏi khác 2
Căn cứ: 
`;
}

/** The leaflet text with a new `## question` section at the end, ready for its answer. */
export function appendSection(markdown: string, question: string): string {
  const heading = question
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^#+\s*/, '');
  return `${markdown.trimEnd()}\n\n## ${heading}\n\n`;
}

export function LeafletEditor({ id, add }: { id?: string; add?: string }) {
  const { can } = useSession();
  const admin = can('admin');
  const isNew = id === undefined;
  const [leaflet, setLeaflet] = useState<Leaflet | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [markdown, setMarkdown] = useState(isNew ? newLeafletTemplate() : '');
  const [saved, setSaved] = useState(isNew ? '' : markdown);
  const [validation, setValidation] = useState<ValidationResult | undefined>(undefined);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const save = useAction();
  const check = useAction();
  const dirty = markdown !== saved;

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    api
      .leaflet(id)
      .then((l) => {
        if (cancelled) return;
        setLeaflet(l);
        setSaved(l.markdown);
        if (add && admin) {
          setMarkdown(appendSection(l.markdown, add));
          history.replaceState(null, '', href(['knowledge', 'edit', id]));
          requestAnimationFrame(() => {
            const t = textarea.current;
            if (!t) return;
            t.focus();
            t.setSelectionRange(t.value.length, t.value.length);
            t.scrollTop = t.scrollHeight;
          });
        } else {
          setMarkdown(l.markdown);
        }
      })
      .catch((err: unknown) => !cancelled && setLoadError((err as Error).message));
    return () => {
      cancelled = true;
    };
    // Loaded once per leaflet (the editor is keyed by id and the added question).
  }, []);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [dirty]);

  const onSave = () =>
    save.run(async () => {
      setValidation(undefined);
      resetRebuild();
      if (isNew) {
        const created = await api.createLeaflet(markdown);
        setSaved(markdown);
        void startRebuild();
        navigate(['knowledge', 'edit', created.id]);
        return `Đã tạo tờ rơi "${created.title}".`;
      }
      const summary = await api.saveLeaflet(id, markdown);
      setSaved(markdown);
      void startRebuild();
      return `Đã lưu tờ rơi "${summary.title}" (${summary.sections} mục). Đang xây lại chỉ mục…`;
    });

  const onValidate = () =>
    check.run(async () => {
      setValidation(await api.validateLeaflet(markdown));
    });

  const onDelete = () => {
    if (!id || !confirm(`Xóa tờ rơi "${leaflet?.meta.title ?? id}"? Không thể hoàn tác.`)) return;
    void save.run(async () => {
      await api.deleteLeaflet(id);
      setSaved(markdown);
      void startRebuild();
      navigate(['knowledge']);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 's' && admin) {
      e.preventDefault();
      void onSave();
    }
  };

  const title = isNew ? 'Tờ rơi mới' : String(leaflet?.meta.title ?? id);

  return (
    <Page
      title={title}
      actions={
        <a class="btn btn--ghost" href={href(['knowledge'])}>
          ← Danh sách tờ rơi
        </a>
      }
    >
      <ErrorBanner error={loadError} />
      {!isNew && !leaflet && !loadError && <Loading what="tờ rơi" />}
      {(isNew || leaflet) && (
        <>
          {leaflet && (
            <p class="muted small">
              Tệp: {leaflet.file} · {leaflet.sections.length} mục
            </p>
          )}
          <div class="toolbar">
            {admin && (
              <button
                type="button"
                class="btn btn--primary"
                data-testid="leaflet-save"
                onClick={() => void onSave()}
                disabled={save.busy}
              >
                {save.busy ? 'Đang lưu…' : isNew ? 'Tạo tờ rơi' : 'Lưu'}
              </button>
            )}
            <button type="button" class="btn" onClick={() => void onValidate()} disabled={check.busy}>
              Kiểm tra
            </button>
            {admin && leaflet && (
              <button
                type="button"
                class="btn"
                onClick={() => setMarkdown(appendSection(markdown, 'Câu hỏi mới?'))}
              >
                Thêm mục
              </button>
            )}
            {admin && !isNew && (
              <button type="button" class="btn btn--danger" onClick={onDelete} disabled={save.busy}>
                Xóa tờ rơi
              </button>
            )}
            {dirty && admin && <span class="badge badge--warn">Chưa lưu</span>}
          </div>
          <ActionMessages action={save} />
          <ErrorBanner error={check.error} />
          {validation && <ValidationBox result={validation} />}
          <RebuildStatus />
          <div class="editor">
            <div class="editor__pane">
              <label for="leaflet-markdown">Nội dung Markdown{admin ? '' : ' (chỉ xem)'}</label>
              <textarea
                id="leaflet-markdown"
                ref={textarea}
                data-testid="leaflet-editor"
                class="code"
                value={markdown}
                readOnly={!admin}
                spellcheck={false}
                onInput={(e) => setMarkdown(e.currentTarget.value)}
                onKeyDown={onKeyDown}
              />
            </div>
            <div class="editor__pane">
              <span class="label" id="preview-label">
                Xem trước
              </span>
              <MarkdownPreview markdown={markdown} />
            </div>
          </div>
        </>
      )}
    </Page>
  );
}

export function ValidationBox({ result }: { result: ValidationResult }) {
  if (result.ok)
    return (
      <div class="banner banner--ok" role="status">
        Hợp lệ: không có lỗi.
      </div>
    );
  return (
    <div class="banner banner--error" role="alert" data-testid="error-banner">
      <strong>Có {result.errors.length} lỗi:</strong>
      <ul>
        {result.errors.map((e, i) => (
          <li key={i}>{e}</li>
        ))}
      </ul>
    </div>
  );
}

type MarkdownModule = typeof MarkdownLib;

function MarkdownPreview({ markdown }: { markdown: string }) {
  const [lib, setLib] = useState<MarkdownModule | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const text = useDebounced(markdown, 150);
  useEffect(() => {
    import('../markdown').then(setLib, () => setFailed(true));
  }, []);
  if (failed) return <p class="muted">Không tải được phần xem trước.</p>;
  if (!lib) return <Loading what="phần xem trước" />;
  const { frontMatter, body } = lib.splitFrontMatter(text);
  return (
    <div class="preview" aria-labelledby="preview-label">
      {frontMatter && <pre class="frontmatter">{frontMatter}</pre>}
      <div class="prose" dangerouslySetInnerHTML={{ __html: lib.renderMarkdown(body) }} />
    </div>
  );
}
