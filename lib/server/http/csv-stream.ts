import "@/lib/server/server-only";
import { escapeCsvField } from "@/components/ui/csv";

const csvLine = (fields: readonly string[]) => `${fields.map(escapeCsvField).join(",")}\r\n`;

type CsvStreamInput<Row> = {
  /** The file name's stem: the download is `<stem>-YYYY-MM-DD.csv` (today, UTC). */
  filenameStem: string;
  headers: readonly string[];
  /** Batches of rows, pulled one at a time as the client reads; closed early if the client leaves. */
  batches: AsyncGenerator<Row[], unknown, undefined>;
  toRecord: (row: Row) => readonly string[];
  /** Names the export in the server log when a batch fails. */
  label: string;
};

/**
 * A CSV download streamed a batch at a time as the client reads (RFC 4180 records, CRLF, with a
 * UTF-8 BOM so Excel reads it as UTF-8), so memory stays flat however many rows the export holds.
 */
export function csvStreamResponse<Row>({ filenameStem, headers, batches, toRecord, label }: CsvStreamInput<Row>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The BOM makes Excel read the file as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(headers)}`));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((row) => csvLine(toRecord(row))).join("")));
      } catch (error) {
        console.error(`${label} export failed`, error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filenameStem}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
