// The demo world's logins: one list shared by the seed, the login page's demo buttons, the README
// and the end-to-end tests. No `import "server-only"` on purpose: Playwright (plain Node) imports it
// too, and it holds nothing secret — these are the published demo credentials.

export const DEMO_PASSWORD = "blockable-demo";

export type DemoAccount = {
  role: "admin" | "lender" | "startup";
  email: string;
  password: string;
  name: string;
  orgName: string;
  label: string;
};

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: "admin", email: "admin@blockable.dev", password: DEMO_PASSWORD, name: "Platform Admin", orgName: "Blockable", label: "Admin · Blockable" },
  { role: "lender", email: "analyst@northwind.example", password: DEMO_PASSWORD, name: "Nadia Okafor", orgName: "Northwind Credit Fund", label: "Lender · Northwind Credit Fund" },
  { role: "lender", email: "analyst@kestrel.example", password: DEMO_PASSWORD, name: "Tomás Lindqvist", orgName: "Kestrel Capital", label: "Lender · Kestrel Capital" },
  { role: "startup", email: "cto@acme-ai.example", password: DEMO_PASSWORD, name: "Ada Chen", orgName: "Acme AI", label: "Startup · Acme AI (healthy loan)" },
  { role: "startup", email: "cto@lumen-labs.example", password: DEMO_PASSWORD, name: "Leo Marsh", orgName: "Lumen Labs", label: "Startup · Lumen Labs (early warning)" },
  { role: "startup", email: "cto@vectorly.example", password: DEMO_PASSWORD, name: "Priya Raman", orgName: "Vectorly", label: "Startup · Vectorly (margin call)" },
  { role: "startup", email: "cto@parsec-robotics.example", password: DEMO_PASSWORD, name: "Jonas Weber", orgName: "Parsec Robotics", label: "Startup · Parsec Robotics (frozen)" },
  { role: "startup", email: "cto@quill-health.example", password: DEMO_PASSWORD, name: "Maya Brooks", orgName: "Quill Health", label: "Startup · Quill Health (application)" },
  { role: "startup", email: "dev@acme-ai.example", password: DEMO_PASSWORD, name: "Sam Ortiz", orgName: "Acme AI", label: "Startup · Acme AI (developer)" },
  // A second admin, so an application above the four-eyes threshold can be approved by two people.
  { role: "admin", email: "ops@blockable.dev", password: DEMO_PASSWORD, name: "Olu Adeyemi", orgName: "Blockable", label: "Admin · Blockable (second approver)" },
  { role: "startup", email: "cto@orbital-genomics.example", password: DEMO_PASSWORD, name: "Iris Novak", orgName: "Orbital Genomics", label: "Startup · Orbital Genomics (large application)" },
  { role: "startup", email: "cto@tessera-legal.example", password: DEMO_PASSWORD, name: "Ravi Menon", orgName: "Tessera Legal", label: "Startup · Tessera Legal (application)" },
  // A second margin call (Kestrel's), left for the startup e2e specs: the lender's desk spec freezes Vectorly's.
  { role: "startup", email: "cto@halcyon-voice.example", password: DEMO_PASSWORD, name: "Elena Duarte", orgName: "Halcyon Voice", label: "Startup · Halcyon Voice (margin call)" },
];

export function findDemoAccount(email: string): DemoAccount | undefined {
  return DEMO_ACCOUNTS.find((account) => account.email === email);
}

/** One routing-API key per demo startup (seeded from fixed labels; see demo-api-keys.ts). */
export const DEMO_API_KEYS: readonly { orgName: string; orgSlug: string; plaintext: string }[] = [
  { orgName: "Acme AI", orgSlug: "acme-ai", plaintext: "sk-bl-USseuLaN6T4x98F1vFGuNl3nK2x2QcC00" },
  { orgName: "Lumen Labs", orgSlug: "lumen-labs", plaintext: "sk-bl-KnNBwEm54JUfBOVoV7SnfKvrSrbu7L2M0" },
  { orgName: "Vectorly", orgSlug: "vectorly", plaintext: "sk-bl-8ePApZjddp9pistRzbbT5ZCRuvPSxhL31" },
  { orgName: "Parsec Robotics", orgSlug: "parsec-robotics", plaintext: "sk-bl-FI0fZOPUqCPAOxbxKfAbO8quFyiZi5nB1" },
  { orgName: "Quill Health", orgSlug: "quill-health", plaintext: "sk-bl-V9N5HS5uJxsnhosBngPeMmCStvvW1QR01" },
  { orgName: "Halcyon Voice", orgSlug: "halcyon-voice", plaintext: "sk-bl-QSyZGbnoByyRqQcA97h6kwXBNMMRh73T2" },
];
