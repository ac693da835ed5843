import Link from "next/link";

export default function NotFound() {
  return (
    <main className="grid min-h-[60vh] place-items-center px-4">
      <div className="max-w-md space-y-3 text-center">
        <p className="text-sm font-medium text-muted-foreground">404</p>
        <h1 className="text-2xl font-semibold">Not found</h1>
        <p className="text-muted-foreground">There is nothing here, or it belongs to another organisation.</p>
        <Link href="/" className="text-primary underline underline-offset-4">
          Go to your home page
        </Link>
      </div>
    </main>
  );
}
