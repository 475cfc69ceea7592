import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import type { Hit, KnowledgeIndex, SearchOptions } from './index/knowledge-index.js';
import type { QueryAnalysis } from './text/analyzer.js';

/** What each retrieved Document carries besides its text. */
export interface RetrievedMetadata {
  id: string;
  kind: 'article' | 'clause' | 'leaflet';
  title: string;
  citations: { lawId: string; article: string; clause?: string }[];
  score: number;
  status: 'current' | 'outdated';
  /** The ranked hit itself, for callers that need the evidence (the answer composer, evaluation). */
  hit: Hit;
  /** The analysed question and how much of its vocabulary the corpus knows (same on every document). */
  query: QueryAnalysis;
  vocabulary: number;
}

export interface HybridRetrieverInput extends BaseRetrieverInput {
  index: KnowledgeIndex;
  /** Filters and limits applied to every query. */
  search?: SearchOptions;
}

/**
 * LangChain retriever over the knowledge index: lexical BM25 and HNSW vectors fused by reciprocal rank,
 * reranked by coverage, title and phrase evidence, filtered by topic and validity date.
 * Usable in any LangChain chain; the answer composer uses it too.
 */
export class HybridRetriever extends BaseRetriever<RetrievedMetadata> {
  static override lc_name(): string {
    return 'HybridRetriever';
  }

  override lc_namespace = ['union_assistant', 'retrievers'];

  private readonly index: KnowledgeIndex;
  private readonly search: SearchOptions;

  constructor(fields: HybridRetrieverInput) {
    super(fields);
    this.index = fields.index;
    this.search = fields.search ?? {};
  }

  /** The same retriever with other filters (topic, date, limit). */
  withOptions(search: SearchOptions): HybridRetriever {
    return new HybridRetriever({ index: this.index, search: { ...this.search, ...search } });
  }

  override async _getRelevantDocuments(query: string): Promise<Document<RetrievedMetadata>[]> {
    const { hits, query: analysed, vocabulary } = await this.index.search(query, this.search);
    return hits.map(
      (hit) =>
        new Document<RetrievedMetadata>({
          pageContent: hit.chunk.text,
          id: hit.chunk.id,
          metadata: {
            id: hit.chunk.id,
            kind: hit.chunk.kind,
            title: hit.chunk.title,
            citations: hit.chunk.citations,
            score: hit.score,
            status: hit.status,
            hit,
            query: analysed,
            vocabulary,
          },
        }),
    );
  }
}
