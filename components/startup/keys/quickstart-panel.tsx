"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { SectionCard } from "./section-card";
import { API_KEY_ENV, keyHint, quickstartSnippets } from "./snippets";

/** Copy-ready calls of this install's routing API with the clients people use; the key comes from the environment. */
export function QuickstartPanel({ baseUrl, keyPrefix, model }: { baseUrl: string; keyPrefix: string | null; model: string | null }) {
  const snippets = quickstartSnippets({ baseUrl, keyPrefix, model });
  return (
    <SectionCard
      id="quickstart-heading"
      title="Quickstart"
      description={
        <>
          The routing API is OpenAI-compatible at <code className="font-mono text-xs break-all">{baseUrl}</code>: point any OpenAI client there. Put your key in{" "}
          <code className="font-mono text-xs">{API_KEY_ENV}</code>
          {keyPrefix ? (
            <>
              {" "}
              (the key starting <code className="font-mono text-xs">{keyHint(keyPrefix)}</code>)
            </>
          ) : null}
          .
        </>
      }
    >
      <Tabs defaultValue={snippets[0].id}>
        <TabsList aria-label="Client" className="h-auto max-w-full flex-wrap">
          {snippets.map((snippet) => (
            <TabsTrigger key={snippet.id} value={snippet.id}>
              {snippet.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {snippets.map((snippet) => (
          <TabsContent key={snippet.id} value={snippet.id} className="space-y-2">
            <div className="flex justify-end">
              <CopyButton value={snippet.code} label={`Copy ${snippet.label} snippet`} />
            </div>
            <pre role="region" tabIndex={0} aria-label={`${snippet.label} snippet`} className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs text-foreground">
              <code>{snippet.code}</code>
            </pre>
          </TabsContent>
        ))}
      </Tabs>
    </SectionCard>
  );
}
