/** A platform's report that messages reached or were read by a worker (for delivery reports). */
export interface Receipt {
  channel: string;
  userId: string;
  kind: 'delivered' | 'read';
  /** Platform message ids the receipt covers, when the platform names them. */
  messageIds?: string[];
  /** Everything sent before this time (ms since epoch) is covered, when the platform uses a watermark. */
  watermark?: number;
  at: string;
}

export type ReceiptSink = (receipt: Receipt) => Promise<void>;
