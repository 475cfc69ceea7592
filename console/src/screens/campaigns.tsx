import { api } from '../api';
import { CAMPAIGN_STATUS, dateTime } from '../format';
import { href } from '../router';
import type { Campaign, CampaignSchedule } from '../types';
import { ErrorBanner, Loading, Page, useAsync, useSession } from '../ui';

export function scheduleText(s: CampaignSchedule): string {
  switch (s.type) {
    case 'now':
      return 'Gửi ngay';
    case 'at':
      return `Lúc ${s.at.replace('T', ' ')} (giờ Việt Nam)`;
    case 'cron':
      return `Lặp lại: ${s.cron}`;
  }
}

/** The Vietnamese status with the raw status code beside it (the code is what tests and the API use). */
export function StatusBadge({ status, testid }: { status: Campaign['status']; testid?: string }) {
  return (
    <span class="status-wrap">
      <span class={`status status--${status}`}>{CAMPAIGN_STATUS[status]}</span>{' '}
      <code class="muted small" data-testid={testid}>
        {status}
      </code>
    </span>
  );
}

export function CampaignList() {
  const { can } = useSession();
  const campaigns = useAsync(() => api.campaigns(), []);
  return (
    <Page
      title="Chiến dịch"
      actions={
        can('officer') && (
          <a class="btn btn--primary" href={href(['campaigns', 'new'])} data-testid="campaign-new">
            Chiến dịch mới
          </a>
        )
      }
    >
      <ErrorBanner error={campaigns.error} />
      {!campaigns.data && campaigns.loading && <Loading what="chiến dịch" />}
      {campaigns.data && campaigns.data.items.length === 0 && <p class="muted">Chưa có chiến dịch nào.</p>}
      {campaigns.data && campaigns.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tên</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Lịch gửi</th>
                <th scope="col">Tạo lúc</th>
                <th scope="col">Người tạo</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data.items.map((c) => (
                <tr key={c.id} data-testid="campaign-row" data-id={c.id}>
                  <td>
                    <a href={href(['campaigns', c.id])}>{c.name}</a>
                  </td>
                  <td>
                    <span class={`status status--${c.status}`}>{CAMPAIGN_STATUS[c.status]}</span>
                  </td>
                  <td>{scheduleText(c.schedule)}</td>
                  <td>{dateTime(c.createdAt)}</td>
                  <td>{c.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
