import { useState } from 'preact/hooks';
import { api } from '../api';
import { BarChart } from '../bar-chart';
import { QUESTION_TYPE_NAMES, SURVEY_STATUS, dateTime, num, percent } from '../format';
import { href, navigate } from '../router';
import type {
  QuestionResult,
  QuestionType,
  Survey,
  SurveyInput,
  SurveyQuestionInput,
  SurveyResults,
  SurveyStatus,
} from '../types';
import { QUESTION_TYPES } from '../types';
import {
  ActionMessages,
  CopyText,
  ErrorBanner,
  Loading,
  Page,
  Tabs,
  useAction,
  useAsync,
  useSession,
} from '../ui';

type Filter = SurveyStatus | 'all';

const FILTERS: [Filter, string][] = [
  ['all', 'Tất cả'],
  ['open', SURVEY_STATUS.open],
  ['closed', SURVEY_STATUS.closed],
];

const MAX_QUESTIONS = 30;
const MAX_OPTIONS = 10;

function SurveyStatusBadge({ status }: { status: SurveyStatus }) {
  return (
    <span class={`status status--survey-${status}`} data-status={status}>
      {SURVEY_STATUS[status]}
    </span>
  );
}

// ---- List ----

export function SurveyList() {
  const { can } = useSession();
  const [filter, setFilter] = useState<Filter>('all');
  const list = useAsync(() => api.surveys(filter === 'all' ? undefined : filter), [filter]);
  return (
    <Page
      title="Khảo sát"
      actions={
        can('officer') && (
          <a class="btn btn--primary" href={href(['surveys', 'new'])} data-testid="survey-new">
            Khảo sát mới
          </a>
        )
      }
    >
      <div class="card">
        <Tabs label="Lọc theo trạng thái" value={filter} options={FILTERS} onChange={setFilter} />
        <ErrorBanner error={list.error} />
        {!list.data && list.loading && <Loading what="khảo sát" />}
        {list.data && list.data.items.length === 0 && <p class="muted">Chưa có khảo sát nào.</p>}
        {list.data && list.data.items.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Tên</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col" class="num">
                    Số câu hỏi
                  </th>
                  <th scope="col" class="num">
                    Người trả lời
                  </th>
                  <th scope="col">Tạo lúc</th>
                  <th scope="col">Người tạo</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((s) => (
                  <tr key={s.id} data-testid="survey-row" data-id={s.id}>
                    <td>
                      <a href={href(['surveys', s.id])}>{s.title}</a>
                      <div class="muted small">mã {s.id}</div>
                    </td>
                    <td>
                      <SurveyStatusBadge status={s.status} />
                    </td>
                    <td class="num">{num(s.questions.length)}</td>
                    <td class="num">{num(s.respondents)}</td>
                    <td>{dateTime(s.createdAt)}</td>
                    <td>{s.createdBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Page>
  );
}

// ---- Composer ----

interface QuestionDraft {
  key: number;
  text: string;
  type: QuestionType;
  required: boolean;
  options: string[];
  lowLabel: string;
  highLabel: string;
  maxLength: string;
}

let nextKey = 1;

function newQuestion(): QuestionDraft {
  return {
    key: nextKey++,
    text: '',
    type: 'single_choice',
    required: true,
    options: ['', ''],
    lowLabel: '',
    highLabel: '',
    maxLength: '1000',
  };
}

function questionOf(q: QuestionDraft, i: number): SurveyQuestionInput {
  const text = q.text.trim();
  switch (q.type) {
    case 'single_choice': {
      const options = q.options.map((o) => o.trim()).filter(Boolean);
      if (options.length < 2) throw new Error(`Câu ${i + 1}: cần ít nhất 2 lựa chọn.`);
      return {
        text,
        type: 'single_choice',
        required: q.required,
        options: options.map((title) => ({ title })),
      };
    }
    case 'scale': {
      const out: SurveyQuestionInput = { text, type: 'scale', required: q.required };
      if (q.lowLabel.trim()) out.lowLabel = q.lowLabel.trim();
      if (q.highLabel.trim()) out.highLabel = q.highLabel.trim();
      return out;
    }
    case 'text':
      return { text, type: 'text', required: q.required, maxLength: Number(q.maxLength) || 1000 };
  }
}

export function SurveyComposer() {
  const [title, setTitle] = useState('');
  const [intro, setIntro] = useState('');
  const [questions, setQuestions] = useState<QuestionDraft[]>(() => [newQuestion()]);
  const save = useAction();

  const setQuestion = (i: number, change: Partial<QuestionDraft>) =>
    setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...change } : q)));
  const move = (i: number, by: number) =>
    setQuestions((qs) => {
      const j = i + by;
      if (j < 0 || j >= qs.length) return qs;
      const copy = [...qs];
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      return copy;
    });
  const remove = (i: number) => setQuestions((qs) => qs.filter((_, j) => j !== i));

  const onSubmit = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      if (questions.length === 0) throw new Error('Cần ít nhất một câu hỏi.');
      const input: SurveyInput = { title: title.trim(), questions: questions.map(questionOf) };
      if (intro.trim()) input.intro = intro.trim();
      const created = await api.createSurvey(input);
      navigate(['surveys', created.id]);
    });
  };

  return (
    <Page
      title="Khảo sát mới"
      actions={
        <a class="btn btn--ghost" href={href(['surveys'])}>
          ← Danh sách khảo sát
        </a>
      }
    >
      <form class="composer" onSubmit={onSubmit}>
        <fieldset class="card">
          <legend>Khảo sát</legend>
          <div class="field">
            <label for="survey-title">Tên khảo sát</label>
            <input
              id="survey-title"
              data-testid="survey-title"
              value={title}
              maxLength={200}
              required
              placeholder="Khảo sát bữa ăn ca"
              onInput={(e) => setTitle(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="survey-intro">Lời mở đầu (không bắt buộc)</label>
            <textarea
              id="survey-intro"
              data-testid="survey-intro"
              rows={2}
              maxLength={1000}
              value={intro}
              placeholder="Công đoàn muốn biết ý kiến của bạn để kiến nghị với công ty."
              onInput={(e) => setIntro(e.currentTarget.value)}
            />
            <span class="hint">Trợ lý nói câu này trước câu hỏi đầu tiên.</span>
          </div>
          <p class="muted small">
            Khảo sát mở ngay khi lưu; sau khi lưu không sửa được câu hỏi. Người lao động trả lời trong khung
            chat (bấm nút trong chiến dịch có mã SURVEY_…).
          </p>
        </fieldset>

        {questions.map((q, i) => (
          <QuestionEditor
            key={q.key}
            q={q}
            index={i}
            count={questions.length}
            onChange={(change) => setQuestion(i, change)}
            onMove={(by) => move(i, by)}
            onRemove={() => remove(i)}
          />
        ))}

        <div class="toolbar">
          <button
            type="button"
            class="btn"
            data-testid="survey-add-question"
            disabled={questions.length >= MAX_QUESTIONS}
            onClick={() => setQuestions((qs) => [...qs, newQuestion()])}
          >
            Thêm câu hỏi
          </button>
          <span class="muted small">
            {num(questions.length)}/{MAX_QUESTIONS} câu hỏi
          </span>
        </div>

        <ActionMessages action={save} />
        <div class="toolbar">
          <button type="submit" class="btn btn--primary" data-testid="survey-save" disabled={save.busy}>
            {save.busy ? 'Đang lưu…' : 'Lưu và mở khảo sát'}
          </button>
          <a class="btn btn--ghost" href={href(['surveys'])}>
            Hủy
          </a>
        </div>
      </form>
    </Page>
  );
}

function QuestionEditor({
  q,
  index: i,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  q: QuestionDraft;
  index: number;
  count: number;
  onChange: (change: Partial<QuestionDraft>) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const id = `q${q.key}`;
  const setOption = (j: number, value: string) =>
    onChange({ options: q.options.map((o, k) => (k === j ? value : o)) });
  return (
    <fieldset class="card question" data-testid="survey-question">
      <legend>Câu {i + 1}</legend>
      <div class="toolbar toolbar--end">
        <button
          type="button"
          class="btn btn--small"
          aria-label={`Đưa câu ${i + 1} lên`}
          disabled={i === 0}
          onClick={() => onMove(-1)}
        >
          ↑ Lên
        </button>
        <button
          type="button"
          class="btn btn--small"
          aria-label={`Đưa câu ${i + 1} xuống`}
          disabled={i === count - 1}
          onClick={() => onMove(1)}
        >
          ↓ Xuống
        </button>
        <button
          type="button"
          class="btn btn--small btn--danger"
          aria-label={`Xóa câu ${i + 1}`}
          disabled={count === 1}
          onClick={onRemove}
        >
          Xóa
        </button>
      </div>
      <div class="field">
        <label for={`${id}-text`}>Câu hỏi</label>
        <textarea
          id={`${id}-text`}
          data-testid="survey-question-text"
          rows={2}
          maxLength={1000}
          required
          value={q.text}
          onInput={(e) => onChange({ text: e.currentTarget.value })}
        />
      </div>
      <div class="grid2">
        <div class="field">
          <label for={`${id}-type`}>Kiểu trả lời</label>
          <select
            id={`${id}-type`}
            data-testid="survey-question-type"
            value={q.type}
            onChange={(e) => onChange({ type: e.currentTarget.value as QuestionType })}
          >
            {QUESTION_TYPES.map((t) => (
              <option key={t} value={t}>
                {QUESTION_TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </div>
        <div class="field field--check field--end">
          <input
            id={`${id}-required`}
            type="checkbox"
            data-testid="survey-question-required"
            checked={q.required}
            onChange={(e) => onChange({ required: e.currentTarget.checked })}
          />
          <label for={`${id}-required`}>Bắt buộc trả lời</label>
        </div>
      </div>
      {q.type === 'single_choice' && (
        <div class="options">
          <span class="label">Các lựa chọn (2 đến {MAX_OPTIONS})</span>
          <ol>
            {q.options.map((o, j) => (
              <li key={j} class="row">
                <label for={`${id}-option-${j}`} class="sr-only">
                  Lựa chọn {j + 1}
                </label>
                <input
                  id={`${id}-option-${j}`}
                  class="grow"
                  data-testid="survey-option"
                  value={o}
                  maxLength={80}
                  required={j < 2}
                  onInput={(e) => setOption(j, e.currentTarget.value)}
                />
                <button
                  type="button"
                  class="btn btn--small btn--ghost"
                  aria-label={`Bỏ lựa chọn ${j + 1}`}
                  disabled={q.options.length <= 2}
                  onClick={() => onChange({ options: q.options.filter((_, k) => k !== j) })}
                >
                  Bỏ
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            class="btn btn--small"
            data-testid="survey-add-option"
            disabled={q.options.length >= MAX_OPTIONS}
            onClick={() => onChange({ options: [...q.options, ''] })}
          >
            Thêm lựa chọn
          </button>
        </div>
      )}
      {q.type === 'scale' && (
        <div class="grid2">
          <div class="field">
            <label for={`${id}-low`}>Ý nghĩa điểm 1 (không bắt buộc)</label>
            <input
              id={`${id}-low`}
              value={q.lowLabel}
              maxLength={60}
              placeholder="Rất không hài lòng"
              onInput={(e) => onChange({ lowLabel: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for={`${id}-high`}>Ý nghĩa điểm 5 (không bắt buộc)</label>
            <input
              id={`${id}-high`}
              value={q.highLabel}
              maxLength={60}
              placeholder="Rất hài lòng"
              onInput={(e) => onChange({ highLabel: e.currentTarget.value })}
            />
          </div>
        </div>
      )}
      {q.type === 'text' && (
        <div class="field">
          <label for={`${id}-max`}>Độ dài tối đa (ký tự)</label>
          <input
            id={`${id}-max`}
            type="number"
            class="input--narrow"
            min={1}
            max={2000}
            step={1}
            required
            value={q.maxLength}
            onInput={(e) => onChange({ maxLength: e.currentTarget.value })}
          />
        </div>
      )}
    </fieldset>
  );
}

// ---- Results ----

export function SurveyDetail({ id }: { id: string }) {
  const { can } = useSession();
  const officer = can('officer');
  const loaded = useAsync(() => api.surveyResults(id), [id]);
  const action = useAction();
  const r = loaded.data;

  if (!r) {
    return (
      <Page title="Khảo sát">
        <ErrorBanner error={loaded.error} />
        {loaded.loading && <Loading what="kết quả khảo sát" />}
      </Page>
    );
  }
  const s = r.survey;

  const close = () => {
    if (!confirm('Đóng khảo sát này? Người lao động sẽ không trả lời thêm được nữa.')) return;
    void action.run(async () => {
      const survey = await api.closeSurvey(s.id);
      loaded.setData({ ...r, survey });
      return 'Đã đóng khảo sát.';
    });
  };

  return (
    <Page
      title={s.title}
      actions={
        <a class="btn btn--ghost" href={href(['surveys'])}>
          ← Danh sách khảo sát
        </a>
      }
    >
      <div class="row row--wrap">
        <SurveyStatusBadge status={s.status} />
        <span class="muted small">mã {s.id}</span>
      </div>
      <div class="toolbar">
        <button
          type="button"
          class="btn"
          data-testid="survey-reload"
          disabled={loaded.loading}
          onClick={() => void loaded.reload()}
        >
          {loaded.loading ? 'Đang tải…' : 'Cập nhật kết quả'}
        </button>
        {officer && s.status === 'open' && (
          <button
            type="button"
            class="btn btn--danger"
            data-testid="survey-close"
            disabled={action.busy}
            onClick={close}
          >
            Đóng khảo sát
          </button>
        )}
      </div>
      <ErrorBanner error={loaded.error} />
      <ActionMessages action={action} />
      <div class="grid2">
        <SurveySummary survey={s} respondents={r.respondents} />
        <div class="card">
          <h2>Gửi khảo sát qua chiến dịch</h2>
          <p class="small">
            Thêm vào chiến dịch một nút trả lời nhanh có mã dưới đây: người lao động bấm nút sẽ bắt đầu trả
            lời khảo sát trong khung chat.
          </p>
          <p>
            <CopyText text={s.startPayload} label="mã khảo sát" testid="survey-start-payload" />
          </p>
          {officer && s.status === 'open' && (
            <a
              class="btn btn--primary"
              data-testid="survey-invite-campaign"
              href={href(['campaigns', 'new'], { invite: s.startPayload, title: s.title })}
            >
              Tạo chiến dịch khảo sát
            </a>
          )}
        </div>
      </div>
      <Results results={r} />
    </Page>
  );
}

function SurveySummary({ survey: s, respondents }: { survey: Survey; respondents: number }) {
  return (
    <div class="card">
      <h2>Thông tin</h2>
      <dl class="facts">
        <dt>Người trả lời</dt>
        <dd data-testid="survey-respondents">{num(respondents)}</dd>
        {s.intro && (
          <>
            <dt>Lời mở đầu</dt>
            <dd class="pre">{s.intro}</dd>
          </>
        )}
        <dt>Số câu hỏi</dt>
        <dd>{num(s.questions.length)}</dd>
        <dt>Người tạo</dt>
        <dd>
          {s.createdBy} · {dateTime(s.createdAt)}
        </dd>
        {s.closedAt && (
          <>
            <dt>Đóng lúc</dt>
            <dd>{dateTime(s.closedAt)}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

const averageFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

function Results({ results }: { results: SurveyResults }) {
  return (
    <div data-testid="survey-results">
      <h2>Kết quả</h2>
      {results.respondents === 0 && <p class="muted">Chưa có ai trả lời.</p>}
      {results.questions.map((q, i) => {
        const question = results.survey.questions.find((x) => x.id === q.id);
        return (
          <section
            class="card"
            key={q.id}
            data-testid="survey-question-result"
            data-id={q.id}
            aria-labelledby={`result-${q.id}`}
          >
            <h3 id={`result-${q.id}`}>
              Câu {i + 1}. {q.text}
            </h3>
            <p class="muted small">
              {QUESTION_TYPE_NAMES[q.type]}
              {question && !question.required && ' · không bắt buộc'} · {num(q.answered)} người trả lời (
              {percent(q.answered, results.respondents)})
            </p>
            {q.type === 'scale' && (
              <p>
                Điểm trung bình:{' '}
                <strong data-testid="survey-average">
                  {q.average === undefined ? '–' : `${averageFormat.format(q.average)}/5`}
                </strong>
              </p>
            )}
            {q.options && (
              <BarChart
                label={`Số người chọn mỗi ${q.type === 'scale' ? 'mức điểm' : 'lựa chọn'}: ${q.text}`}
                options={{
                  labels: q.options.map((o) => scaleLabel(q, o.title, question)),
                  series: [{ label: 'Số người chọn', data: q.options.map((o) => o.count) }],
                  horizontal: q.type === 'single_choice',
                }}
              />
            )}
            {q.texts && <TextAnswers texts={q.texts} />}
          </section>
        );
      })}
    </div>
  );
}

function scaleLabel(
  q: QuestionResult,
  title: string,
  question: Survey['questions'][number] | undefined,
): string {
  if (q.type !== 'scale' || question?.type !== 'scale') return title;
  if (title === '1' && question.lowLabel) return `1 – ${question.lowLabel}`;
  if (title === '5' && question.highLabel) return `5 – ${question.highLabel}`;
  return title;
}

function TextAnswers({ texts }: { texts: { text: string; at: string }[] }) {
  if (texts.length === 0) return <p class="muted">Chưa có câu trả lời.</p>;
  return (
    <ul class="notes answers">
      {texts.map((t, i) => (
        <li key={`${t.at}-${i}`} data-testid="survey-text-answer">
          <div class="pre">{t.text}</div>
          <span class="muted small">{dateTime(t.at)}</span>
        </li>
      ))}
    </ul>
  );
}
