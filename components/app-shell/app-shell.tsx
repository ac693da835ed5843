import type { ReactNode } from "react";
import Link from "next/link";
import { UserRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { ThemeToggle } from "@/components/theme-toggle";
import { cn } from "@/lib/utils";
import { navItemsForRole, type Role } from "./nav-items";
import { MobileNav, SidebarNav, type NavCountsInitial } from "./sidebar-nav";
import { SignOutButton } from "./sign-out-button";

type AppShellProps = {
  user: { name: string; email: string; role: Role };
  orgName: string;
  /** Starting values for the nav's live count badges (the lender's open alerts). */
  initialCounts?: NavCountsInitial;
  /** Extra controls in the header, before the theme toggle (the startup's notification bell). */
  headerActions?: ReactNode;
  children: ReactNode;
};

const ROLE_LABEL: Record<Role, string> = { startup: "Startup", lender: "Lender", admin: "Admin" };

function Wordmark({ href, className }: { href: string; className?: string }) {
  return (
    <Link href={href} className={cn("flex items-center gap-2 rounded-md font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50", className)}>
      <svg viewBox="0 0 32 32" aria-hidden="true" className="size-6 text-primary">
        <path d="M16 2.5 27.7 9.25 16 16 4.3 9.25Z" fill="currentColor" fillOpacity={0.5} />
        <path d="M4.3 9.25 16 16v13.5L4.3 22.75Z" fill="currentColor" />
        <path d="M27.7 9.25 16 16v13.5l11.7-6.75Z" fill="currentColor" fillOpacity={0.75} />
      </svg>
      <span>Blockable</span>
    </Link>
  );
}

export function AppShell({ user, orgName, initialCounts, headerActions, children }: AppShellProps) {
  const items = navItemsForRole(user.role);
  const home = items[0].href;
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main-content"
        className="sr-only rounded-md bg-primary px-3 py-2 text-sm text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>

      <aside className="sticky top-0 hidden h-screen flex-col border-r bg-card md:flex">
        <div className="flex h-14 items-center border-b px-4">
          <Wordmark href={home} />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto p-3">
          <SidebarNav items={items} initialCounts={initialCounts} />
        </nav>
      </aside>

      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/85 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/70 md:px-6">
          <MobileNav items={items} initialCounts={initialCounts} />
          <Wordmark href={home} className="md:hidden" />
          <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
            <div className="min-w-0 text-right leading-tight">
              <p className="hidden truncate text-sm font-medium sm:block" title={user.email}>
                {user.name}
              </p>
              <p className="truncate text-xs text-muted-foreground">{orgName}</p>
            </div>
            {/* On a phone the role badge gives way: the header must fit 390 px with every control. */}
            <Badge variant="secondary" className="hidden sm:inline-flex">
              {ROLE_LABEL[user.role]}
            </Badge>
            {headerActions}
            <ThemeToggle />
            {/* Password and signed-in sessions ("sign out everywhere"), for every role. */}
            <Link href="/account" aria-label="Account" className={buttonVariants({ variant: "ghost", size: "sm" })}>
              <UserRound aria-hidden="true" />
              <span className="hidden sm:inline">Account</span>
            </Link>
            <SignOutButton />
          </div>
        </header>
        <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none md:px-8 md:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
