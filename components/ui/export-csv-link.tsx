import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";

/** "Export CSV" as a download link to a route that streams the file (the whole filtered set, not just the page). */
export function ExportCsvLink({ href }: { href: string }) {
  return (
    <Button asChild variant="outline" size="sm">
      <a href={href} download>
        <Download aria-hidden="true" />
        Export CSV
      </a>
    </Button>
  );
}
