/**
 * Leaflet topics (what a leaflet is about) and the broad groups flows filter on. A chunk carries both, so
 * `answer` nodes can ask for "bao_hiem" and get every insurance leaflet and law.
 */
export const TOPIC_GROUPS = {
  lao_dong: 'Pháp luật lao động',
  bao_hiem: 'Bảo hiểm xã hội, y tế, thất nghiệp',
  cong_doan: 'Công đoàn',
  an_toan: 'An toàn, vệ sinh lao động',
  an_ninh: 'Phòng chống tội phạm, lừa đảo, tệ nạn, giao thông',
  tro_giup: 'Nơi được giúp đỡ',
} as const;

export type TopicGroup = keyof typeof TOPIC_GROUPS;

export const LEAFLET_TOPICS: Record<string, { label: string; group: TopicGroup }> = {
  hop_dong: { label: 'Hợp đồng lao động, thử việc', group: 'lao_dong' },
  tien_luong: { label: 'Tiền lương, làm thêm giờ, làm đêm, khấu trừ, chậm lương', group: 'lao_dong' },
  thoi_gio: { label: 'Giờ làm việc, nghỉ ngơi, nghỉ lễ, nghỉ phép', group: 'lao_dong' },
  cham_dut: { label: 'Chấm dứt hợp đồng, báo trước, trợ cấp thôi việc, mất việc', group: 'lao_dong' },
  ky_luat: { label: 'Kỷ luật lao động, điều người sử dụng lao động không được làm', group: 'lao_dong' },
  lao_dong_nu: { label: 'Lao động nữ, thai sản', group: 'lao_dong' },
  chua_thanh_nien: { label: 'Lao động chưa thành niên', group: 'lao_dong' },
  bhxh: { label: 'Bảo hiểm xã hội', group: 'bao_hiem' },
  bhyt: { label: 'Bảo hiểm y tế', group: 'bao_hiem' },
  bhtn: { label: 'Bảo hiểm thất nghiệp', group: 'bao_hiem' },
  cong_doan: { label: 'Quyền công đoàn, đối thoại, thương lượng, tranh chấp, đình công', group: 'cong_doan' },
  an_toan: { label: 'An toàn, vệ sinh lao động', group: 'an_toan' },
  lua_dao: { label: 'Lừa đảo qua điện thoại, mạng', group: 'an_ninh' },
  tin_dung_den: { label: 'Tín dụng đen, cho vay nặng lãi', group: 'an_ninh' },
  ma_tuy: { label: 'Ma túy', group: 'an_ninh' },
  co_bac: { label: 'Cờ bạc', group: 'an_ninh' },
  trom_cap: { label: 'Trộm cắp ở nhà trọ', group: 'an_ninh' },
  giao_thong: { label: 'Giao thông, rượu bia', group: 'an_ninh' },
  tro_giup: { label: 'Nơi được giúp đỡ', group: 'tro_giup' },
};

/** The topics a chunk is found under: its own and its group. */
export function topicsOf(topic: string): string[] {
  const group = LEAFLET_TOPICS[topic]?.group;
  return group && group !== topic ? [topic, group] : [topic];
}
