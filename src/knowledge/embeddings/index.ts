import { HashedNgramEmbeddings } from './hashed.js';
import { createOllamaEmbeddings, createOpenAiEmbeddings } from './remote.js';
import type { EmbeddingsChoice, EmbeddingsSettings } from './types.js';

/** The embeddings EMBEDDINGS_PROVIDER asks for; `hashed` (the default) needs no network and no model. */
export function createEmbeddings(settings: EmbeddingsSettings): EmbeddingsChoice {
  switch (settings.provider) {
    case 'hashed': {
      const embeddings = new HashedNgramEmbeddings();
      return { embeddings, id: embeddings.id };
    }
    case 'openai':
      return createOpenAiEmbeddings(settings);
    case 'ollama':
      return createOllamaEmbeddings(settings);
  }
}
