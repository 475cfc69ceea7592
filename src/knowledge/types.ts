/** A pointer to a law article: `{ lawId: "45/2019/QH14", article: "113" }`. */
export interface Citation {
  lawId: string;
  article: string;
  /** Clause (khoản) number when the answer rests on one clause. */
  clause?: string;
}

export interface AnswerSource {
  id: string;
  title: string;
  score: number;
}

/** A quick reply offered with an answer: read the full article, or a related leaflet question. */
export interface FollowUp {
  title: string;
  /** `ARTICLE:<lawId>:<article>` or `ASK:<leaflet section id>`. */
  payload: string;
}

/** The shape of `npm run ask -- --json` and of what the flow engine's `answer` node receives. */
export interface AnswerResult {
  answer: string;
  /** 0..1; below the answerer's threshold the bot says it is not sure and offers an officer. */
  confidence: number;
  answered: boolean;
  citations: Citation[];
  sources: AnswerSource[];
  /** Offered as quick replies after the answer (not part of the `ask` contract's required fields). */
  followUps?: FollowUp[];
  /** The answer rests on a superseded law or a leaflet marked outdated; the text says so. */
  outdated?: boolean;
  /** Topic of the best source (for the dashboard's questions-by-topic figures). */
  topic?: string;
}

/** The full text of one article, for "Xem toàn văn". */
export interface ArticleView {
  lawId: string;
  lawName: string;
  article: string;
  title: string;
  text: string;
  supersededBy?: string;
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
  /** The full article (for the "Xem toàn văn" button); undefined when not shipped. */
  article?(lawId: string, article: string): ArticleView | undefined;
  /** Answer straight from one leaflet section (a tapped related question). */
  section?(id: string): AnswerResult | undefined;
}
