// The same page shape as the lender's loan page while it loads (heading, figures, charts, tables).
export { default } from "@/app/lender/loans/[loanId]/loading";
