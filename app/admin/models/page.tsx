import type { Metadata } from "next";
import { ModelsScreen } from "@/components/admin/catalog/models-screen";
import { requirePageViewer } from "@/lib/server/auth/guard";
import { getCatalogChangedAt, listModelsForAdmin, listProviderOptions } from "@/lib/server/catalog-admin/queries";
import { db } from "@/lib/server/db/client";
import { addRouteAction } from "./add-route-action";
import { changeRoutePriceAction } from "./change-price-action";
import { createModelAction } from "./create-model-action";
import { removeRouteAction } from "./remove-route-action";
import { updateModelAction } from "./update-model-action";
import { updateRouteAction } from "./update-route-action";

export const metadata: Metadata = { title: "Models and prices" };

export default async function AdminModelsPage() {
  await requirePageViewer("provider.manage");
  const [models, providers, catalogChangedAt] = await Promise.all([listModelsForAdmin(db), listProviderOptions(db), getCatalogChangedAt(db)]);
  return (
    <ModelsScreen
      models={models}
      providers={providers}
      catalogChangedAt={catalogChangedAt}
      actions={{
        createModel: createModelAction,
        updateModel: updateModelAction,
        addRoute: addRouteAction,
        updateRoute: updateRouteAction,
        changeRoutePrice: changeRoutePriceAction,
        removeRoute: removeRouteAction,
      }}
    />
  );
}
