// Reading a chosen file in the browser a chunk at a time, so a large CSV shows its progress instead
// of freezing the page: each chunk is decoded with a streaming TextDecoder (a UTF-8 character split
// across two chunks is joined correctly) and the caller hears the fraction read after each one.

export const READ_CHUNK_BYTES = 64 * 1024;

export type ReadProgress = { loadedBytes: number; totalBytes: number };

export async function readFileInChunks(
  file: Blob,
  onProgress: (progress: ReadProgress) => void,
  options: { chunkBytes?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const chunkBytes = options.chunkBytes ?? READ_CHUNK_BYTES;
  const decoder = new TextDecoder("utf-8");
  const parts: string[] = [];
  onProgress({ loadedBytes: 0, totalBytes: file.size });
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    if (options.signal?.aborted) throw new DOMException("The file read was cancelled.", "AbortError");
    const end = Math.min(offset + chunkBytes, file.size);
    const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
    parts.push(decoder.decode(bytes, { stream: end < file.size }));
    onProgress({ loadedBytes: end, totalBytes: file.size });
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/** 0–100, whole percent, for a progress bar. */
export function percentOf(done: number, total: number): number {
  if (total <= 0) return done > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, Math.floor((done * 100) / total)));
}
