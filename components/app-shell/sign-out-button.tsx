"use client";

import { useState } from "react";
import { LogOut } from "lucide-react";
import { signOut } from "next-auth/react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const [isPending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label="Sign out"
      disabled={isPending}
      onClick={() => {
        setPending(true);
        signOut({ callbackUrl: "/login" }).catch(() => setPending(false));
      }}
    >
      <LogOut aria-hidden="true" />
      <span className="hidden sm:inline">Sign out</span>
    </Button>
  );
}
