export { DEFAULT_BURN_TOLERANCE_BPS, evaluateBurnAbovePlan, isBurnAbovePlan } from "./burn-above-plan";
export { coverageAlertLevels, evaluateCoverageAlerts, type CoverageThresholds } from "./coverage-alerts";
export { evaluateFreezeAlerts } from "./freeze-alerts";
export {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  ALERT_SEVERITY,
  alertOpenKey,
  COVERAGE_ALERT_KINDS,
  DEFAULT_CURE_WINDOW_HOURS,
  DEFAULT_EARLY_WARNING_BPS,
  DEFAULT_GRACE_PERIOD_DAYS,
  DEFAULT_HYSTERESIS_BPS,
  DEFAULT_LIQUIDATION_BPS,
  DEFAULT_MAINTENANCE_BPS,
  isAlertKind,
  parseEarlyWarningBps,
  type AlertChanges,
  type AlertKind,
  type AlertSeverity,
  type CoverageAlertKind,
} from "./kinds";
export { AUTO_FREEZE_STATES, cureDeadlineFor, marginCallDecision, shouldAutoFreeze, type MarginCallDecision } from "./margin-call";
export { alertMessage, formatThresholdBps, formatUtcMinute, type AlertMessageInput } from "./messages";
export { evaluatePaymentOverdue, overdueInstallments, type InstallmentStatus, type OverdueInstallment } from "./payment-overdue";
