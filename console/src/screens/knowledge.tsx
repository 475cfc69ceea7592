import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { channelName, dateTime, num, topicName } from '../format';
import { RebuildStatus, refreshRebuild, startRebuild } from '../rebuild';
import { href, navigate } from '../router';
import type { AnswerResult, LeafletSummary } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync, useSession } from '../ui';

export function KnowledgeHome() {
  const { can } = useSession();
  const admin = can('admin');
  const leaflets = useAsync(() => api.leaflets(), []);
  const upload = useAction();
  const [filter, setFilter] = useState('');

  useEffect(() => void refreshRebuild(), []);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const items = leaflets.data?.items ?? [];
    return q
      ? items.filter((l) => `${l.id} ${l.title} ${l.topic} ${l.file}`.toLowerCase().includes(q))
      : items;
  }, [leaflets.data, filter]);

  const onUpload = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    void upload.run(async () => {
      const created = await api.uploadLeaflet(await file.text());
      input.value = '';
      navigate(['knowledge', 'edit', created.id]);
      void startRebuild();
    });
  };

  return (
    <Page
      title="Kiến thức"
      actions={
        admin && (
          <>
            <a class="btn btn--primary" href={href(['knowledge', 'new'])}>
              Tờ rơi mới
            </a>
            <label class="btn file-btn">
              Tải lên tệp .md
              <input type="file" accept=".md,text/markdown,text/plain" onChange={onUpload} class="sr-only" />
            </label>
            <a class="btn" href={href(['knowledge', 'lexicon'])}>
              Từ điển viết tắt, đồng nghĩa
            </a>
            <a class="btn" href={href(['knowledge', 'flows'])}>
              Kịch bản hội thoại
            </a>
          </>
        )
      }
    >
      <ActionMessages action={upload} />
      <div class="card">
        <div class="row row--between">
          <h2>Tờ rơi</h2>
          {admin && (
            <button type="button" class="btn btn--small" onClick={() => void startRebuild()}>
              Xây lại chỉ mục
            </button>
          )}
        </div>
        <RebuildStatus showIdle />
        <div class="field field--inline">
          <label for="leaflet-filter">Lọc</label>
          <input
            id="leaflet-filter"
            type="search"
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
            placeholder="Tên, chủ đề, mã tờ rơi"
          />
        </div>
        <ErrorBanner error={leaflets.error} />
        {!leaflets.data && leaflets.loading && <Loading what="danh sách tờ rơi" />}
        {leaflets.data && <LeafletTable items={shown} />}
      </div>
      <div class="grid2">
        <AskPanel />
        <Unanswered leaflets={leaflets.data?.items ?? []} admin={admin} />
      </div>
    </Page>
  );
}

function LeafletTable({ items }: { items: LeafletSummary[] }) {
  if (items.length === 0) return <p class="muted">Không có tờ rơi nào.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Tiêu đề</th>
            <th scope="col">Chủ đề</th>
            <th scope="col" class="num">
              Số mục
            </th>
            <th scope="col">Xem lại trước</th>
          </tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id} data-testid="leaflet-row" data-id={l.id}>
              <td>
                <a href={href(['knowledge', 'edit', l.id])}>{l.title}</a>
                <div class="muted small">{l.file}</div>
              </td>
              <td>{topicName(l.topic)}</td>
              <td class="num">{num(l.sections)}</td>
              <td>{l.review_by ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AskPanel() {
  const [question, setQuestion] = useState('');
  const [result, setResult] = useState<AnswerResult | undefined>(undefined);
  const ask = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    if (!question.trim()) return;
    void ask.run(async () => {
      setResult(await api.ask(question.trim()));
    });
  };

  return (
    <div class="card">
      <h2>Thử hỏi trợ lý</h2>
      <form onSubmit={submit} class="row">
        <label for="ask-input" class="sr-only">
          Câu hỏi
        </label>
        <input
          id="ask-input"
          data-testid="ask-input"
          class="grow"
          value={question}
          onInput={(e) => setQuestion(e.currentTarget.value)}
          placeholder="Ví dụ: thử việc tối đa bao lâu?"
        />
        <button type="submit" class="btn btn--primary" data-testid="ask-submit" disabled={ask.busy}>
          {ask.busy ? 'Đang hỏi…' : 'Hỏi'}
        </button>
      </form>
      <ErrorBanner error={ask.error} />
      {result && (
        <div class="answer">
          <p class="small">
            {result.answered ? (
              <span class="badge badge--ok">Trả lời được</span>
            ) : (
              <span class="badge badge--warn">Chưa chắc chắn</span>
            )}{' '}
            Độ tin cậy: <strong>{result.confidence.toFixed(2)}</strong>
            {result.outdated && <span class="badge badge--warn">Căn cứ đã cũ</span>}
          </p>
          <div class="answer__text" data-testid="ask-answer">
            {result.answer}
          </div>
          {result.citations.length > 0 && (
            <p class="small">
              Căn cứ:{' '}
              {result.citations
                .map((c) => `${c.lawId} Điều ${c.article}${c.clause ? ` khoản ${c.clause}` : ''}`)
                .join('; ')}
            </p>
          )}
          <h3>Nguồn tìm được</h3>
          <ol class="sources" data-testid="ask-sources">
            {result.sources.map((s) => (
              <li key={s.id}>
                <span>{s.title}</span> <span class="muted small">({s.id})</span>{' '}
                <span class="score">{s.score.toFixed(3)}</span>
              </li>
            ))}
          </ol>
          {result.sources.length === 0 && <p class="muted">Không tìm thấy nguồn nào.</p>}
        </div>
      )}
    </div>
  );
}

function Unanswered({ leaflets, admin }: { leaflets: LeafletSummary[]; admin: boolean }) {
  const data = useAsync(() => api.unanswered(), []);
  const [target, setTarget] = useState('');
  const chosen = target || leaflets[0]?.id || '';

  const addTo = (question: string) => {
    if (chosen) navigate(['knowledge', 'edit', chosen], { add: question });
  };

  const addButton = (question: string) =>
    admin && chosen ? (
      <button type="button" class="btn btn--small" onClick={() => addTo(question)}>
        Thêm mục vào tờ rơi
      </button>
    ) : null;

  return (
    <div class="card">
      <h2>Câu hỏi chưa trả lời được</h2>
      {admin && leaflets.length > 0 && (
        <div class="field">
          <label for="unanswered-target">Tờ rơi để thêm mục</label>
          <select id="unanswered-target" value={chosen} onChange={(e) => setTarget(e.currentTarget.value)}>
            {leaflets.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
        </div>
      )}
      <ErrorBanner error={data.error} />
      {!data.data && data.loading && <Loading />}
      {data.data && (
        <>
          <h3>Hỏi nhiều nhất</h3>
          {data.data.top.length === 0 && <p class="muted">Chưa có.</p>}
          <ul class="qlist">
            {data.data.top.map((q) => (
              <li key={q.question}>
                <span class="grow">
                  {q.question} <span class="badge">{num(q.count)} lần</span>
                </span>
                {addButton(q.question)}
              </li>
            ))}
          </ul>
          <h3>Gần đây</h3>
          {data.data.latest.length === 0 && <p class="muted">Chưa có.</p>}
          <ul class="qlist">
            {data.data.latest.map((q, i) => (
              <li key={`${q.at}-${i}`}>
                <span class="grow">
                  {q.question}
                  <span class="muted small">
                    {' '}
                    · {dateTime(q.at)} · {channelName(q.channel)} · độ tin cậy {q.confidence.toFixed(2)}
                    {q.sources[0] ? ` · gần nhất: ${q.sources[0].title}` : ''}
                  </span>
                </span>
                {addButton(q.question)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
