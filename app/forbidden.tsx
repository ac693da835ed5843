import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="grid min-h-[60vh] place-items-center px-4">
      <div className="max-w-md space-y-3 text-center">
        <p className="text-sm font-medium text-muted-foreground">403</p>
        <h1 className="text-2xl font-semibold">This page is not for your role</h1>
        <p className="text-muted-foreground">Your account cannot open this page. If you think it should, ask your organisation&apos;s administrator.</p>
        <Link href="/" className="text-primary underline underline-offset-4">
          Go to your home page
        </Link>
      </div>
    </main>
  );
}
