// The Organisations screens' tables and the create-user dialog as the server renders them (the
// dialog primitive opened flat): each user's actions by their exact accessible names, the admin's
// own row without Disable or Reset, statuses, money and APR as shown, and the role the
// organisation's kind gives.
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { renderedText } from "@/test/render";
import { describe, expect, test, vi } from "vitest";
import type { AdminUserDto } from "@/lib/server/queries/admin";

vi.mock("@/app/admin/organizations/create-user-action", () => ({ createUserAction: vi.fn() }));
vi.mock("@/app/admin/organizations/reset-password-action", () => ({ resetUserPasswordAction: vi.fn() }));
vi.mock("@/app/admin/organizations/set-user-disabled-action", () => ({ setUserDisabledAction: vi.fn() }));
vi.mock("@/components/ui/info-tip", () => ({ InfoTip: () => null }));
vi.mock("next/link", () => ({ default: ({ href, children, ...props }: { href: string; children?: ReactNode }) => createElement("a", { href, ...props }, children) }));
vi.mock("@/components/ui/dialog", async () => (await import("@/test/render")).flatDialog);

const { UsersTable } = await import("./users-table");
const { OrganizationsTable } = await import("./organizations-table");
const { FacilitiesTable } = await import("./facilities-table");
const { CreateUserDialog } = await import("./create-user-dialog");

const text = (html: string) => renderedText(html, { joinTextNodes: true });

const user = (overrides: Partial<AdminUserDto & { orgName: string }>): AdminUserDto & { orgName: string } => ({
  id: "u1",
  email: "ada@acme.example",
  name: "Ada",
  role: "startup",
  isDisabled: false,
  mustChangePassword: false,
  createdAt: "2026-01-02T03:04:05.000Z",
  lastLoginAt: null,
  orgName: "Acme AI",
  ...overrides,
});

describe("UsersTable", () => {
  const html = renderToString(
    createElement(UsersTable, {
      viewerUserId: "me",
      filename: "users.csv",
      users: [
        user({ id: "me", email: "admin@blockable.dev", name: "Me", role: "admin", orgName: "Blockable", lastLoginAt: "2026-03-01T12:34:56.000Z" }),
        user({ id: "u1" }),
        user({ id: "u2", email: "bo@acme.example", isDisabled: true }),
        user({ id: "u3", email: "cy@acme.example", mustChangePassword: true }),
      ],
    }),
  );

  test("each other user has Reset password and Disable or Enable, named with their email", () => {
    expect(html).toContain('aria-label="Reset password for ada@acme.example"');
    expect(html).toContain('aria-label="Disable ada@acme.example"');
    expect(html).toContain('aria-label="Enable bo@acme.example"');
    expect(html).toContain('aria-label="Disable cy@acme.example"');
  });

  test("the admin's own row offers neither, and says why", () => {
    expect(html).not.toContain('aria-label="Disable admin@blockable.dev"');
    expect(html).not.toContain('aria-label="Reset password for admin@blockable.dev"');
    expect(text(html)).toContain("You cannot disable yourself");
  });

  test("statuses and last sign-in in UTC", () => {
    const shown = text(html);
    expect(shown).toContain("disabled");
    expect(shown).toContain("must change password");
    expect(shown).toContain("2026-03-01 12:34 UTC");
    expect(shown).toContain("never");
  });
});

describe("OrganizationsTable", () => {
  test("each organisation links to its page, with its kind, users and facilities", () => {
    const html = renderToString(
      createElement(OrganizationsTable, {
        organizations: [
          { id: "o1", name: "Harbor Credit", slug: "harbor-credit", kind: "LENDER", createdAt: "2026-01-02T00:00:00.000Z", userCount: 3, disabledUserCount: 1, facilityCount: 2 },
          { id: "o2", name: "Acme AI", slug: "acme-ai", kind: "STARTUP", createdAt: "2025-12-31T00:00:00.000Z", userCount: 1, disabledUserCount: 0, facilityCount: 0 },
        ],
      }),
    );
    expect(html).toContain('href="/admin/organizations/o1"');
    const shown = text(html);
    expect(shown).toContain("lender");
    expect(shown).toContain("3 (1 disabled)");
    expect(shown).toContain("2026-01-02");
  });
});

describe("FacilitiesTable", () => {
  test("limit, deployed and available in dollars, a negative headroom flagged, the APR in percent", () => {
    const html = renderToString(
      createElement(FacilitiesTable, {
        orgSlug: "harbor",
        facilities: [{ id: "f1", name: "Growth I", limitMicros: "2500000000000", deployedMicros: "2600000000000", availableMicros: "-100000000000", openLoanCount: 4, defaultAprBps: 1_250 }],
      }),
    );
    const shown = text(html);
    expect(shown).toContain("$2,500,000.00");
    expect(shown).toContain("$2,600,000.00");
    expect(shown).toContain("−$100,000.00");
    expect(shown).toContain("12.50%");
    expect(html).toContain("text-destructive");
  });
});

describe("CreateUserDialog", () => {
  test("from the list: an organisation to choose, the role following its kind", () => {
    const shown = text(renderToString(createElement(CreateUserDialog, { organizations: [{ id: "o1", name: "Harbor Credit", kind: "LENDER" }] })));
    expect(shown).toContain("Create a user");
    expect(shown).toContain("Harbor Credit (lender)");
    expect(shown).toContain("The role follows the organisation's kind.");
  });

  test("from an organisation's page: the organisation is fixed and its role shown", () => {
    const shown = text(renderToString(createElement(CreateUserDialog, { organizations: [{ id: "o1", name: "Harbor Credit", kind: "LENDER" }], fixedOrgId: "o1" })));
    expect(shown).toContain("Create a user in Harbor Credit");
    expect(shown).toContain("Role: lender");
    expect(shown).not.toContain("Choose an organisation");
  });
});
