/** A pointer to a law article: `{ lawId: "45/2019/QH14", article: "113" }`. */
export interface Citation {
  lawId: string;
  article: string;
}

export interface AnswerSource {
  id: string;
  title: string;
  score: number;
}

/** The shape of `npm run ask -- --json` and of what the flow engine's `answer` node receives. */
export interface AnswerResult {
  answer: string;
  /** 0..1; below the answerer's threshold the bot says it is not sure and offers an officer. */
  confidence: number;
  answered: boolean;
  citations: Citation[];
  sources: AnswerSource[];
}

export interface AskOptions {
  /** Only chunks of this topic (e.g. "bhxh", "lua_dao"). */
  topic?: string;
  /** The date at which the law must be in force; today when absent. */
  at?: Date;
}

/** What the conversation layer needs from the knowledge base. */
export interface KnowledgeAnswerer {
  /** True once the corpus is loaded and questions can be answered (part of /readyz). */
  readonly ready: boolean;
  ask(question: string, options?: AskOptions): Promise<AnswerResult>;
}
