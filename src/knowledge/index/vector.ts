import { createRequire } from 'node:module';
import type * as Hnswlib from 'hnswlib-node';

// hnswlib-node is a CommonJS addon whose named exports Node's ESM loader cannot detect.
const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof Hnswlib;
type HierarchicalNSW = Hnswlib.HierarchicalNSW;

/** Approximate nearest neighbours (HNSW, cosine) over chunk vectors; labels are chunk positions. */
export class VectorIndex {
  private constructor(
    private readonly hnsw: HierarchicalNSW,
    readonly dimensions: number,
  ) {}

  static build(vectors: number[][], dimensions: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex(Math.max(vectors.length, 1), 16, 200, 100);
    vectors.forEach((v, i) => hnsw.addPoint(v, i));
    hnsw.setEf(Math.min(Math.max(64, vectors.length), 400));
    return new VectorIndex(hnsw, dimensions);
  }

  static async load(file: string, dimensions: number, count: number): Promise<VectorIndex> {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    await hnsw.readIndex(file, false);
    hnsw.setEf(Math.min(Math.max(64, count), 400));
    return new VectorIndex(hnsw, dimensions);
  }

  async save(file: string): Promise<void> {
    await this.hnsw.writeIndex(file);
  }

  /** Nearest chunk positions with cosine similarity (1 = same direction), best first. */
  search(vector: number[], limit: number, allow?: (label: number) => boolean): { label: number; similarity: number }[] {
    const count = this.hnsw.getCurrentCount();
    if (count === 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(vector, Math.min(limit, count), allow);
    return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
  }
}
