import { useState } from 'preact/hooks';
import { api } from '../api';
import { BarChart } from '../bar-chart';
import type { BarChartOptions } from '../charts';
import { channelName, num, percent, topicName } from '../format';
import type { Dashboard as DashboardData } from '../types';
import { ErrorBanner, Loading, Page, useAsync } from '../ui';

const DAY_CHOICES: [number, string][] = [
  [7, '7 ngày'],
  [30, '30 ngày'],
  [90, '90 ngày'],
];

export function Dashboard() {
  const [days, setDays] = useState(30);
  const data = useAsync(() => api.dashboard(days), [days]);
  const d = data.data;

  return (
    <Page
      title="Tổng quan"
      actions={
        <label class="inline-field">
          Khoảng thời gian{' '}
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {DAY_CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorBanner error={data.error} />
      {!d && data.loading && <Loading what="số liệu" />}
      {d && <DashboardBody d={d} />}
    </Page>
  );
}

function DashboardBody({ d }: { d: DashboardData }) {
  const totalAnswers = d.answers.answered + d.answers.notSure;
  return (
    <>
      <div class="stats">
        <Stat label="Người nhận tin" value={num(d.totals.subscribers)} />
        <Stat label="Đã đồng ý nhận tin" value={num(d.totals.optedIn)} />
        <Stat label="Yêu cầu gặp cán bộ đang mở" value={num(d.totals.openHandoffs)} />
        <Stat label="Phản ánh đang mở" value={num(d.totals.openTickets)} />
      </div>
      <div class="grid2">
        <div class="card">
          <h2>Tin nhắn mỗi ngày theo kênh</h2>
          <BarChart label="Số tin nhắn mỗi ngày theo kênh" options={messagesChart(d)} />
        </div>
        <div class="card">
          <h2>Tin nhắn theo chủ đề</h2>
          <BarChart
            label="Số tin nhắn theo chủ đề"
            options={{
              labels: d.topics.map((t) => topicName(t.topic)),
              series: [{ label: 'Tin nhắn', data: d.topics.map((t) => t.count) }],
              horizontal: true,
            }}
          />
        </div>
        <div class="card">
          <h2>Tỉ lệ trả lời được</h2>
          <p class="big">{percent(d.answers.answered, totalAnswers)}</p>
          <div
            class="ratio"
            role="img"
            aria-label={`Trả lời được ${num(d.answers.answered)}, chưa chắc ${num(d.answers.notSure)}`}
          >
            <span
              class="ratio__part ratio__part--ok"
              style={{ width: totalAnswers ? `${(d.answers.answered / totalAnswers) * 100}%` : '0' }}
            />
          </div>
          <ul class="legend">
            <li>
              <span class="swatch swatch--ok" /> Trả lời được: {num(d.answers.answered)}
            </li>
            <li>
              <span class="swatch swatch--warn" /> Chưa chắc, chuyển cán bộ: {num(d.answers.notSure)}
            </li>
          </ul>
        </div>
        <div class="card">
          <h2>Độ phủ chiến dịch theo khu công nghiệp</h2>
          <BarChart
            label="Số người nhận dự kiến và đã gửi theo khu công nghiệp"
            options={{
              labels: d.campaignReach.map((r) => r.khu_cong_nghiep || '(chưa rõ)'),
              series: [
                { label: 'Dự kiến', data: d.campaignReach.map((r) => r.targeted) },
                { label: 'Đã gửi', data: d.campaignReach.map((r) => r.sent) },
              ],
            }}
          />
        </div>
      </div>
      <div class="card">
        <h2>Câu hỏi nhiều nhất</h2>
        {d.topQuestions.length === 0 ? (
          <p class="muted">Chưa có câu hỏi nào.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Câu hỏi</th>
                  <th scope="col" class="num">
                    Số lần
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.topQuestions.map((q) => (
                  <tr key={q.question}>
                    <td>{q.question}</td>
                    <td class="num">{num(q.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}

function messagesChart(d: DashboardData): BarChartOptions {
  const days = [...new Set(d.messagesPerDay.map((m) => m.day))].sort();
  const channels = [...new Set(d.messagesPerDay.map((m) => m.channel))].sort();
  const counts = new Map(d.messagesPerDay.map((m) => [`${m.day}|${m.channel}`, m.count]));
  return {
    labels: days.map((day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`),
    series: channels.map((channel) => ({
      label: channelName(channel),
      data: days.map((day) => counts.get(`${day}|${channel}`) ?? 0),
    })),
    stacked: true,
  };
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="stat">
      <div class="stat__value">{value}</div>
      <div class="stat__label">{label}</div>
    </div>
  );
}
