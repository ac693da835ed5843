export { coverageBps, cureAmountsMicros, DEFAULT_REDISTRIBUTION_FEE_BPS, markPpm, MAX_COVERAGE_BPS, PAR_PPM, valueAtMarkMicros } from "./coverage";
export { dayNumber, DAY_MS, utcDay } from "./days";
export { indexTrend, type IndexFix, type IndexTrend } from "./index-trend";
export {
  fullLiquidationSaleMicros,
  liquidationWaterfall,
  partialLiquidationMicros,
  planLiquidation,
  planPartialLiquidation,
  saleProceedsMicros,
  type LiquidationKind,
  type LiquidationPlan,
  type LiquidationPlanInput,
  type LiquidationWaterfall,
  type PartialLiquidationInput,
  type PartialLiquidationPlan,
} from "./liquidation";
export { assertMarkRatio, creditsValueMicros, markRatio, markRatioFromPpm, markRatioToPpm, parMarkRatio, resolveMark, toMarkRatio, type MarkInput, type MarkRatio } from "./mark";
export {
  MAX_HORIZON_DAYS,
  projectDaysToMarginCall,
  sevenDayBurnMicrosPerDay,
  whatIf,
  type InstallmentForecast,
  type Projection,
  type ProjectionInput,
  type ProjectionPoint,
  type WhatIfChange,
  type WhatIfResult,
} from "./projection";
export { protectiveFreezeMicros } from "./protective-freeze";
export { planFreeze, type FreezePlan, type FreezePlanInput, type FreezePlanMode } from "./freeze-plan";
