/**
 * Attributes a worker's profile may hold. Flows read them (`profile.company`), set them (`set_attribute`),
 * and segments filter on them; a flow that names any other attribute is rejected by the flow check.
 */
export const PROFILE_ATTRIBUTES = {
  name: 'Họ tên',
  phone: 'Số điện thoại',
  khu_cong_nghiep: 'Khu công nghiệp',
  company: 'Công ty',
  union_branch: 'Công đoàn cơ sở',
  province: 'Tỉnh, thành phố',
  district: 'Quận, huyện',
} as const;

export type ProfileAttribute = keyof typeof PROFILE_ATTRIBUTES;

/** Read-only values derived from the subscriber record, visible to flows beside the attributes. */
export const DERIVED_PROFILE_FIELDS = {
  subscribed: 'Đang nhận tin (đã đồng ý)',
  topics: 'Chủ đề đã đăng ký',
} as const;

/**
 * Attributes segments can filter on (each value has an index set). Names and phone numbers are not: they
 * identify a person rather than a group, and indexing them would cost a set per person.
 */
export const SEGMENT_ATTRIBUTES = [
  'khu_cong_nghiep',
  'company',
  'union_branch',
  'province',
  'district',
] as const;

export type SegmentAttribute = (typeof SEGMENT_ATTRIBUTES)[number];

export function isSegmentAttribute(name: string): name is SegmentAttribute {
  return (SEGMENT_ATTRIBUTES as readonly string[]).includes(name);
}

export function isProfileAttribute(name: string): name is ProfileAttribute {
  return Object.hasOwn(PROFILE_ATTRIBUTES, name);
}

export function isReadableProfileField(name: string): boolean {
  return isProfileAttribute(name) || Object.hasOwn(DERIVED_PROFILE_FIELDS, name);
}
