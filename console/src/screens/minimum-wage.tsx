import { useMemo, useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api';
import { downloadText } from '../download';
import { localDate, num, searchKey } from '../format';
import type { MinimumWageData, MinimumWageLocality, MinimumWageProvince, Region } from '../types';
import { REGIONS } from '../types';
import { ErrorBanner, IssuesBanner, Loading, Notice, Page, useAsync, useDebounced, useSession } from '../ui';

const SHOWN = 200;

const money = (n: number) => `${num(n)} đồng`;

/**
 * The regional minimum wage data (knowledge/data/minimum-wage.json) the chat's lookup reads: amounts per
 * region and the places of each region, searchable with or without diacritics. Admins replace the file.
 */
export function MinimumWage() {
  const { can } = useSession();
  const data = useAsync(() => api.minimumWage(), []);
  const d = data.data;
  return (
    <Page title="Lương tối thiểu vùng">
      <ErrorBanner error={data.error} />
      {!d && data.loading && <Loading what="dữ liệu lương tối thiểu vùng" />}
      {d && (
        <>
          <Summary d={d} />
          <Search d={d} />
          {can('admin') && <Editor d={d} onSaved={data.setData} />}
        </>
      )}
    </Page>
  );
}

function Summary({ d }: { d: MinimumWageData }) {
  return (
    <div class="grid2">
      <div class="card">
        <h2>Căn cứ</h2>
        <dl class="facts">
          <dt>Văn bản</dt>
          <dd data-testid="minimum-wage-source">Nghị định {d.legal_source}</dd>
          <dt>Điều</dt>
          <dd>Điều {d.article}</dd>
          <dt>Hiệu lực từ</dt>
          <dd data-testid="minimum-wage-effective">{localDate(d.effective)}</dd>
          <dt>Số địa bàn</dt>
          <dd>
            {num(d.provinces.length)} tỉnh, thành phố · {num(d.localities.length)} phường, xã, đặc khu được kể
            tên
          </dd>
          {d.missing_provinces.length > 0 && (
            <>
              <dt>Còn thiếu</dt>
              <dd>{d.missing_provinces.join(', ')}</dd>
            </>
          )}
        </dl>
        <details>
          <summary>Ghi chú về nguồn dữ liệu</summary>
          <p class="small pre">{d.source_note}</p>
        </details>
      </div>
      <div class="card">
        <h2>Mức lương tối thiểu</h2>
        <div class="table-wrap">
          <table data-testid="minimum-wage-regions">
            <thead>
              <tr>
                <th scope="col">Vùng</th>
                <th scope="col" class="num">
                  Theo tháng
                </th>
                <th scope="col" class="num">
                  Theo giờ
                </th>
              </tr>
            </thead>
            <tbody>
              {REGIONS.map((r) => (
                <tr key={r}>
                  <th scope="row">Vùng {r}</th>
                  <td class="num">{money(d.regions[r].monthly)}</td>
                  <td class="num">{money(d.regions[r].hourly)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted small">
          Doanh nghiệp ở địa bàn thuộc vùng nào thì áp dụng mức lương tối thiểu của vùng đó; trong khu công
          nghiệp nằm trên nhiều địa bàn thì áp dụng mức cao nhất.
        </p>
      </div>
    </div>
  );
}

interface Indexed<T> {
  item: T;
  key: string;
}

function Search({ d }: { d: MinimumWageData }) {
  const [query, setQuery] = useState('');
  const q = searchKey(useDebounced(query, 150));
  const aliases = useMemo(
    () => new Map(d.provinces.map((p) => [p.province, [p.province, ...(p.aliases ?? [])].join(' ')])),
    [d],
  );
  const localities = useMemo<Indexed<MinimumWageLocality>[]>(
    () =>
      d.localities.map((l) => ({
        item: l,
        key: searchKey(`${l.area} | ${aliases.get(l.province) ?? l.province} | vùng ${l.region}`),
      })),
    [d, aliases],
  );
  const provinces = useMemo<Indexed<MinimumWageProvince>[]>(
    () => d.provinces.map((p) => ({ item: p, key: searchKey(aliases.get(p.province) ?? p.province) })),
    [d, aliases],
  );
  const counts = useMemo(() => {
    const out = new Map<string, number>();
    for (const l of d.localities) out.set(l.province, (out.get(l.province) ?? 0) + 1);
    return out;
  }, [d]);
  const words = q.split(' ').filter(Boolean);
  const matches = <T,>(list: Indexed<T>[]) =>
    list.filter((x) => words.every((w) => x.key.includes(w))).map((x) => x.item);
  const foundLocalities = words.length ? matches(localities) : [];
  const foundProvinces = words.length ? matches(provinces) : d.provinces;

  return (
    <div class="card">
      <h2>Tra cứu địa bàn</h2>
      <div class="field">
        <label for="minimum-wage-search">Phường, xã, đặc khu hoặc tỉnh, thành phố</label>
        <input
          id="minimum-wage-search"
          type="search"
          data-testid="minimum-wage-search"
          value={query}
          autoComplete="off"
          placeholder="Ví dụ: thu duc, Dĩ An, Bắc Ninh"
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <span class="hint">Gõ có dấu hay không dấu đều được.</span>
      </div>
      {words.length > 0 && (
        <>
          <p class="small" role="status" aria-live="polite">
            {foundLocalities.length === 0
              ? 'Không thấy phường, xã, đặc khu nào được kể tên khớp.'
              : `Tìm thấy ${num(foundLocalities.length)} phường, xã, đặc khu${
                  foundLocalities.length > SHOWN ? ` (hiện ${SHOWN} kết quả đầu)` : ''
                }.`}{' '}
            Phường, xã không được kể tên thuộc vùng “còn lại” của tỉnh (bảng dưới).
          </p>
          {foundLocalities.length > 0 && (
            <div class="table-wrap table-wrap--scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Phường, xã, đặc khu</th>
                    <th scope="col">Tỉnh, thành phố</th>
                    <th scope="col">Vùng</th>
                    <th scope="col" class="num">
                      Lương tối thiểu tháng
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {foundLocalities.slice(0, SHOWN).map((l) => (
                    <tr key={`${l.province}|${l.area}`} data-testid="locality-row" data-region={l.region}>
                      <td>{l.area}</td>
                      <td>{l.province}</td>
                      <td>
                        <RegionBadge region={l.region} />
                      </td>
                      <td class="num">{money(d.regions[l.region].monthly)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <details open={words.length > 0 && foundProvinces.length > 0 && foundProvinces.length <= 5}>
        <summary>Tỉnh, thành phố và vùng của các xã, phường còn lại ({num(foundProvinces.length)})</summary>
        {foundProvinces.length === 0 ? (
          <p class="muted">Không có tỉnh, thành phố nào khớp.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Tỉnh, thành phố</th>
                  <th scope="col">Cách gọi khác</th>
                  <th scope="col">Các xã, phường còn lại</th>
                  <th scope="col" class="num">
                    Phường, xã được kể tên
                  </th>
                </tr>
              </thead>
              <tbody>
                {foundProvinces.map((p) => (
                  <tr key={p.province} data-testid="province-row">
                    <td>{p.province}</td>
                    <td>{p.aliases?.join(', ') || '–'}</td>
                    <td>
                      <RegionBadge region={p.remaining_region} />
                    </td>
                    <td class="num">{num(counts.get(p.province) ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </div>
  );
}

function RegionBadge({ region }: { region: Region }) {
  return <span class={`badge badge--region-${region}`}>Vùng {region}</span>;
}

const FILE_NAME = 'minimum-wage.json';

function Editor({ d, onSaved }: { d: MinimumWageData; onSaved: (d: MinimumWageData) => void }) {
  const [text, setText] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; issues?: string[] } | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const pretty = () => `${JSON.stringify(d, null, 2)}\n`;

  const onFile = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    file.text().then(
      (content) => {
        setText(content);
        setError(undefined);
        setNotice(`Đã mở tệp ${file.name}: kiểm tra rồi bấm “Lưu dữ liệu”.`);
        input.value = '';
      },
      (err: unknown) => setError({ message: `Không đọc được tệp: ${errorMessage(err)}` }),
    );
  };

  const save = async () => {
    if (text === undefined) return;
    setError(undefined);
    setNotice(undefined);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      setError({ message: `Nội dung không phải JSON hợp lệ: ${(err as Error).message}` });
      return;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      setError({ message: 'Tệp phải là một đối tượng JSON ({ … }) như tệp tải về.' });
      return;
    }
    setBusy(true);
    try {
      const saved = await api.saveMinimumWage(body);
      onSaved(saved);
      setText(undefined);
      setNotice('Đã lưu. Từ lần tra cứu tiếp theo, trợ lý dùng dữ liệu mới.');
    } catch (err) {
      if (err instanceof ApiError && err.issues.length > 0) {
        setError({
          message: 'Dữ liệu chưa hợp lệ nên chưa được lưu. Sửa các lỗi sau rồi lưu lại:',
          issues: err.issues.map((i) => i.message),
        });
      } else {
        setError({ message: errorMessage(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card">
      <h2>Cập nhật dữ liệu</h2>
      <p class="small">
        Khi Chính phủ ban hành mức lương mới hoặc sắp xếp lại địa bàn: tải tệp JSON về, sửa, rồi lưu lại. Máy
        chủ kiểm tra từng mục và đối chiếu số tiền với điều luật đã có trong kho trước khi lưu.
      </p>
      <div class="toolbar">
        <button
          type="button"
          class="btn"
          data-testid="minimum-wage-download"
          onClick={() => downloadText(FILE_NAME, pretty(), 'application/json;charset=utf-8')}
        >
          Tải tệp JSON
        </button>
        {text === undefined && (
          <button
            type="button"
            class="btn"
            data-testid="minimum-wage-edit"
            onClick={() => {
              setText(pretty());
              setNotice(undefined);
            }}
          >
            Sửa trực tiếp
          </button>
        )}
        <label class="btn file-btn">
          Mở tệp từ máy…
          <input
            type="file"
            accept=".json,application/json"
            class="sr-only"
            data-testid="minimum-wage-file"
            onChange={onFile}
          />
        </label>
      </div>
      <IssuesBanner error={error?.message} issues={error?.issues} />
      <Notice text={notice} />
      {text !== undefined && (
        <>
          <label for="minimum-wage-json" class="sr-only">
            Nội dung tệp minimum-wage.json
          </label>
          <textarea
            id="minimum-wage-json"
            class="code"
            data-testid="minimum-wage-json"
            spellcheck={false}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="toolbar">
            <button
              type="button"
              class="btn btn--primary"
              data-testid="minimum-wage-save"
              disabled={busy}
              onClick={() => void save()}
            >
              {busy ? 'Đang kiểm tra và lưu…' : 'Lưu dữ liệu'}
            </button>
            <button
              type="button"
              class="btn btn--ghost"
              disabled={busy}
              onClick={() => {
                setText(undefined);
                setError(undefined);
              }}
            >
              Bỏ thay đổi
            </button>
          </div>
        </>
      )}
    </div>
  );
}
