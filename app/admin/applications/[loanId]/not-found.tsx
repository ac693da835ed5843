import Link from "next/link";

/** No application with this id. */
export default function ApplicationNotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-16 text-center">
      <p className="text-sm font-medium text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Application not found</h1>
      <p className="text-muted-foreground">There is no such application.</p>
      <Link href="/admin/applications" className="text-primary underline underline-offset-4">
        Back to applications
      </Link>
    </div>
  );
}
