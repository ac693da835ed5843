"use client";

import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { InfoTip } from "@/components/ui/info-tip";
import { EmptyState } from "@/components/ui/states";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LenderApiTokenDto } from "@/lib/server/queries/lender-settings";
import { CreateTokenDialog } from "./create-token-dialog";
import { formatUtc } from "./format";
import type { CreateTokenAction, RevokeTokenAction } from "./types";

/** The lender's API tokens: create (shown once), list, revoke behind a dialog. */
export function ApiTokensSection({ tokens, createToken, revokeToken }: { tokens: LenderApiTokenDto[]; createToken: CreateTokenAction; revokeToken: RevokeTokenAction }) {
  const activeCount = tokens.filter((token) => token.revokedAt === null).length;
  return (
    <section aria-labelledby="api-tokens-heading">
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="space-y-1.5">
            <h2 id="api-tokens-heading" className="text-lg leading-none font-semibold tracking-tight">
              API tokens
            </h2>
            <CardDescription>
              Tokens for the lender API (<code className="font-mono text-xs">/api/lender/v1</code>): your loans and alerts, freeze, unfreeze and liquidate from your own systems. {activeCount} active.
            </CardDescription>
          </div>
          <CreateTokenDialog createToken={createToken} />
        </CardHeader>
        <CardContent>
          {tokens.length === 0 ? (
            <EmptyState title="No API tokens yet">Create one to call the lender API; its value is shown once.</EmptyState>
          ) : (
            <div className="rounded-lg border">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Prefix</TableHead>
                    <TableHead>Created (UTC)</TableHead>
                    <TableHead>Created by</TableHead>
                    <TableHead>
                      <span className="inline-flex items-center gap-1">
                        Last used (UTC)
                        <InfoTip label="last used">The last time the token authenticated a lender API call, recorded to the minute.</InfoTip>
                      </span>
                    </TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {tokens.map((token) => (
                    <TokenRow key={token.id} token={token} revokeToken={revokeToken} />
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </section>
  );
}

function TokenRow({ token, revokeToken }: { token: LenderApiTokenDto; revokeToken: RevokeTokenAction }) {
  const nameId = `token-${token.id}-name`;
  const isRevoked = token.revokedAt !== null;
  return (
    <TableRow>
      <TableCell id={nameId} className="font-medium">
        {token.name}
      </TableCell>
      <TableCell>
        <code className="font-mono text-xs">{token.prefix}…</code>
      </TableCell>
      <TableCell className="num">{formatUtc(token.createdAt)}</TableCell>
      <TableCell>{token.createdBy ? <span title={token.createdBy.email}>{token.createdBy.name}</span> : "—"}</TableCell>
      <TableCell className="num">{formatUtc(token.lastUsedAt, "Never")}</TableCell>
      <TableCell>{isRevoked ? <Badge variant="secondary">Revoked {formatUtc(token.revokedAt)}</Badge> : <Badge variant="success">Active</Badge>}</TableCell>
      <TableCell className="text-right">
        {isRevoked ? null : (
          <ConfirmDialog
            trigger={
              <Button type="button" size="sm" variant="outline" aria-describedby={nameId}>
                Revoke
              </Button>
            }
            title={`Revoke “${token.name}”?`}
            description={
              <>
                The token <code className="font-mono">{token.prefix}…</code> stops working on its next API call: every request with it gets 401{" "}
                <code className="font-mono">invalid_api_token</code>. It was last used {token.lastUsedAt ? formatUtc(token.lastUsedAt) : "never"}. This cannot be undone.
              </>
            }
            confirmLabel="Revoke token"
            pendingLabel="Revoking…"
            onConfirm={async () => {
              const result = await revokeToken({ tokenId: token.id });
              if (!result.ok) {
                toast.error(result.error.message);
                return false;
              }
              toast.success(`“${result.data.name}” revoked: its next API call gets 401.`);
              return true;
            }}
          />
        )}
      </TableCell>
    </TableRow>
  );
}
