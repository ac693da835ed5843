import { RouteNotFound } from "@/components/ui/route-states";

export default function NotFound() {
  return (
    <main className="grid min-h-[60vh] place-items-center px-4">
      <RouteNotFound title="Not found" message="There is nothing here, or it belongs to another organisation." href="/" linkLabel="Go to your home page" className="py-0" />
    </main>
  );
}
