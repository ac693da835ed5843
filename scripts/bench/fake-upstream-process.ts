// bench:routing's fake upstream, in a process of its own as a real provider would be: a direct call
// then crosses processes just as the gateway's call does, and the client's own event loop neither
// serves the upstream nor pays for its memory. Prints `URL <base url>`; stops on SIGTERM.
import { startFakeUpstream } from "../../test/fake-upstream";

const upstream = await startFakeUpstream({ outputTokens: Number(process.env.FAKE_UPSTREAM_OUTPUT_TOKENS ?? 16) });
console.log(`URL ${upstream.url}`);
process.on("SIGTERM", () => void upstream.close().finally(() => process.exit(0)));
