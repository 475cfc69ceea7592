/**
 * Payloads that carry an event or survey id. Ids are upper-case letters and digits, so every payload fits
 * the campaign quick-reply rule (/^[A-Z][A-Z0-9_]*$/) and an officer can put an invitation in a campaign:
 * `{ "title": "Đăng ký lớp", "payload": "EVENT_K7M2Q9" }`. The flows catch them with `payload_prefixes`.
 */
export const EVENT_PREFIX = 'EVENT_';
export const EVENT_CANCEL_PREFIX = 'EVENTCANCEL_';
export const SURVEY_PREFIX = 'SURVEY_';

/** Shows the event and asks the worker to register. */
export const eventPayload = (id: string) => `${EVENT_PREFIX}${id}`;
/** Asks the worker to confirm cancelling their registration. */
export const eventCancelPayload = (id: string) => `${EVENT_CANCEL_PREFIX}${id}`;
/** Starts the survey. */
export const surveyPayload = (id: string) => `${SURVEY_PREFIX}${id}`;

/** The id in a payload's remainder or a typed code ("k7m2q9"), upper-cased; undefined when malformed. */
export function parseCode(text: string | undefined): string | undefined {
  const code = text?.trim().toUpperCase();
  return code && /^[A-Z0-9]{1,20}$/.test(code) ? code : undefined;
}
