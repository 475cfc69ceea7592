/**
 * Who may do what in the console: a viewer reads, an officer also runs campaigns, subscribers, the inbox
 * and tickets, an admin also keeps the knowledge base, flows and users. Each role includes the ones below.
 */
export const ROLES = ['viewer', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, officer: 2, admin: 3 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export const ROLE_NAMES: Record<Role, string> = {
  viewer: 'người xem',
  officer: 'cán bộ',
  admin: 'quản trị',
};
