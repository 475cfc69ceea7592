import type { Embeddings } from '@langchain/core/embeddings';

/** How the vector index gets its embeddings (from EMBEDDINGS_* settings). */
export interface EmbeddingsSettings {
  provider: 'hashed' | 'openai' | 'ollama';
  model?: string;
  baseUrl?: string;
  apiKey?: string;
}

/** A chosen embeddings implementation and the stable id recorded in the index manifest. */
export interface EmbeddingsChoice {
  embeddings: Embeddings;
  /** Changes whenever vectors would change ("hashed-ngram-v1:1024", "openai:text-embedding-3-small"). */
  id: string;
}
