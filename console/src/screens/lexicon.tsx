import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { RebuildStatus, resetRebuild, startRebuild } from '../rebuild';
import { href } from '../router';
import type { Lexicon } from '../types';
import { ActionMessages, ErrorBanner, Loading, Page, useAction, useAsync, useSession } from '../ui';

interface AbbreviationRow {
  key: string;
  value: string;
}

function toRows(lexicon: Lexicon): { abbreviations: AbbreviationRow[]; synonyms: string[] } {
  return {
    abbreviations: Object.entries(lexicon.abbreviations).map(([key, value]) => ({ key, value })),
    synonyms: lexicon.synonyms.map((group) => group.join(', ')),
  };
}

function fromRows(abbreviations: AbbreviationRow[], synonyms: string[]): Lexicon {
  const out: Lexicon = { abbreviations: {}, synonyms: [] };
  for (const r of abbreviations) {
    const key = r.key.trim();
    const value = r.value.trim();
    if (key && value) out.abbreviations[key] = value;
  }
  for (const g of synonyms) {
    const group = g
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (group.length >= 2) out.synonyms.push(group);
  }
  return out;
}

export function LexiconEditor() {
  const { can } = useSession();
  const admin = can('admin');
  const data = useAsync(() => api.lexicon(), []);
  const [abbreviations, setAbbreviations] = useState<AbbreviationRow[]>([]);
  const [synonyms, setSynonyms] = useState<string[]>([]);
  const save = useAction();

  useEffect(() => {
    if (!data.data) return;
    const rows = toRows(data.data);
    setAbbreviations(rows.abbreviations);
    setSynonyms(rows.synonyms);
  }, [data.data]);

  const setAbbr = (i: number, change: Partial<AbbreviationRow>) =>
    setAbbreviations(abbreviations.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const onSave = (e: Event) => {
    e.preventDefault();
    void save.run(async () => {
      resetRebuild();
      const lexicon = fromRows(abbreviations, synonyms);
      await api.saveLexicon(lexicon);
      void startRebuild();
      return `Đã lưu ${Object.keys(lexicon.abbreviations).length} chữ viết tắt và ${lexicon.synonyms.length} nhóm đồng nghĩa.`;
    });
  };

  return (
    <Page
      title="Từ điển viết tắt và đồng nghĩa"
      actions={
        <a class="btn btn--ghost" href={href(['knowledge'])}>
          ← Kiến thức
        </a>
      }
    >
      <ErrorBanner error={data.error} />
      {!data.data && data.loading && <Loading what="từ điển" />}
      {data.data && (
        <form onSubmit={onSave}>
          <div class="grid2">
            <fieldset class="card">
              <legend>Chữ viết tắt</legend>
              <p class="muted small">
                Khóa được so khớp sau khi bỏ dấu và viết thường (“hđlđ”, “HDLD”, “hdld” là một).
              </p>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Viết tắt</th>
                      <th scope="col">Dạng đầy đủ</th>
                      <th scope="col">
                        <span class="sr-only">Xóa</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {abbreviations.map((r, i) => (
                      <tr key={i}>
                        <td>
                          <input
                            aria-label={`Viết tắt dòng ${i + 1}`}
                            value={r.key}
                            readOnly={!admin}
                            onInput={(e) => setAbbr(i, { key: e.currentTarget.value })}
                          />
                        </td>
                        <td>
                          <input
                            aria-label={`Dạng đầy đủ dòng ${i + 1}`}
                            value={r.value}
                            readOnly={!admin}
                            onInput={(e) => setAbbr(i, { value: e.currentTarget.value })}
                          />
                        </td>
                        <td>
                          {admin && (
                            <button
                              type="button"
                              class="btn btn--small btn--ghost"
                              aria-label={`Xóa viết tắt ${r.key}`}
                              onClick={() => setAbbreviations(abbreviations.filter((_, j) => j !== i))}
                            >
                              ✕
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {admin && (
                <button
                  type="button"
                  class="btn btn--small"
                  onClick={() => setAbbreviations([...abbreviations, { key: '', value: '' }])}
                >
                  Thêm chữ viết tắt
                </button>
              )}
            </fieldset>
            <fieldset class="card">
              <legend>Nhóm đồng nghĩa</legend>
              <p class="muted small">Mỗi nhóm: các cụm từ cách nhau bằng dấu phẩy.</p>
              {synonyms.map((g, i) => (
                <div class="row" key={i}>
                  <input
                    class="grow"
                    aria-label={`Nhóm đồng nghĩa ${i + 1}`}
                    value={g}
                    readOnly={!admin}
                    onInput={(e) =>
                      setSynonyms(synonyms.map((s, j) => (j === i ? e.currentTarget.value : s)))
                    }
                  />
                  {admin && (
                    <button
                      type="button"
                      class="btn btn--small btn--ghost"
                      aria-label={`Xóa nhóm đồng nghĩa ${i + 1}`}
                      onClick={() => setSynonyms(synonyms.filter((_, j) => j !== i))}
                    >
                      ✕
                    </button>
                  )}
                </div>
              ))}
              {admin && (
                <button type="button" class="btn btn--small" onClick={() => setSynonyms([...synonyms, ''])}>
                  Thêm nhóm
                </button>
              )}
            </fieldset>
          </div>
          <ActionMessages action={save} />
          <RebuildStatus />
          {admin && (
            <button type="submit" class="btn btn--primary" disabled={save.busy}>
              {save.busy ? 'Đang lưu…' : 'Lưu từ điển'}
            </button>
          )}
        </form>
      )}
    </Page>
  );
}
