// GOLDEN scenarios of the financing workflow against real SQLite and PostgreSQL: apply → approve
// (disbursement) → payments → REPAID, through the services a server action calls. The loan is
// $100,000 at 12% APR over 12 months at 1.3×, with $50,000 of the startup's own credits pledged,
// approved on 2026-01-15 at 14:20 UTC; payments are received (recorded by the admin) at 10:00 UTC on the day named.
//
// Every expected figure was worked out by hand, independently of the code (the arithmetic is in
// the comment beside it):
// - financed credits = ⌊P × multiplier / 10,000⌋; initial coverage = ⌊collateral × mark / (P × 100)⌋ bps
//   with mark = min(1, index/index) × (1 − 15%) = 850,000 ppm;
// - the level payment A = P·i / (1 − (1+i)^−12), i = 1%: 100,000,000,000 × 0.01 × 1.01^12 / (1.01^12 − 1)
//   = 8,884,878,867.834171… → rounded up 8,884,878,868 µUSD; planned interest = ⌊balance / 100⌋;
// - interest accrues at APR/365 on whole UTC days: d days on principal p earn p × 1,200 × d / 3,650,000
//   µUSD; the sub-µUSD carry is kept, so each payment's interest is ⌊exact interest so far⌋ minus what
//   was paid before; a payment pays that interest first, the rest is principal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, issueCredits, openStartupAccounts } from "@/lib/server/ledger/ledger";
import { createLender, createUser } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { applyForLoan } from "./apply";
import { approveApplication } from "./approve";
import { markOverdueInstallments } from "./delinquency";
import { recordLoanPayment } from "./payments";
import type { LoanCaller } from "./queries";

const USD = 1_000_000n;
const P = 100_000n * USD;
const A = 8_884_878_868n;
const APPROVED_AT = new Date("2026-01-15T14:20:00.000Z");
const at10 = (day: string) => new Date(`${day}T10:00:00.000Z`);

/** The planned schedule: [seq, due date, amount, interest, principal]. */
const SCHEDULE: [number, string, bigint, bigint, bigint][] = [
  // #1: interest ⌊100,000,000,000 / 100⌋ = 1,000,000,000; principal A − 1,000,000,000 = 7,884,878,868; balance 92,115,121,132
  [1, "2026-02-15", A, 1_000_000_000n, 7_884_878_868n],
  // #2: ⌊92,115,121,132 / 100⌋ = 921,151,211; principal 7,963,727,657; balance 84,151,393,475
  [2, "2026-03-15", A, 921_151_211n, 7_963_727_657n],
  // #3: ⌊84,151,393,475 / 100⌋ = 841,513,934; principal 8,043,364,934; balance 76,108,028,541
  [3, "2026-04-15", A, 841_513_934n, 8_043_364_934n],
  // #4: ⌊76,108,028,541 / 100⌋ = 761,080,285; principal 8,123,798,583; balance 67,984,229,958
  [4, "2026-05-15", A, 761_080_285n, 8_123_798_583n],
  // #5: ⌊67,984,229,958 / 100⌋ = 679,842,299; principal 8,205,036,569; balance 59,779,193,389
  [5, "2026-06-15", A, 679_842_299n, 8_205_036_569n],
  // #6: ⌊59,779,193,389 / 100⌋ = 597,791,933; principal 8,287,086,935; balance 51,492,106,454
  [6, "2026-07-15", A, 597_791_933n, 8_287_086_935n],
  // #7: ⌊51,492,106,454 / 100⌋ = 514,921,064; principal 8,369,957,804; balance 43,122,148,650
  [7, "2026-08-15", A, 514_921_064n, 8_369_957_804n],
  // #8: ⌊43,122,148,650 / 100⌋ = 431,221,486; principal 8,453,657,382; balance 34,668,491,268
  [8, "2026-09-15", A, 431_221_486n, 8_453_657_382n],
  // #9: ⌊34,668,491,268 / 100⌋ = 346,684,912; principal 8,538,193,956; balance 26,130,297,312
  [9, "2026-10-15", A, 346_684_912n, 8_538_193_956n],
  // #10: ⌊26,130,297,312 / 100⌋ = 261,302,973; principal 8,623,575,895; balance 17,506,721,417
  [10, "2026-11-15", A, 261_302_973n, 8_623_575_895n],
  // #11: ⌊17,506,721,417 / 100⌋ = 175,067,214; principal 8,709,811,654; balance 8,796,909,763
  [11, "2026-12-15", A, 175_067_214n, 8_709_811_654n],
  // #12: the balance left 8,796,909,763 + its interest ⌊8,796,909,763 / 100⌋ = 87,969,097 → 8,884,878,860
  [12, "2027-01-15", 8_884_878_860n, 87_969_097n, 8_796_909_763n],
];

/** A payment: [day, amount ("payoff" = the debt that day), interest paid, principal paid, principal left]. */
type PaymentRow = [string, bigint | "payoff", bigint, bigint, bigint];

// (a) On time: every installment paid on its due date.
const ON_TIME: PaymentRow[] = [
  // Jan 15 → Feb 15, 31 d: 100,000,000,000 × 1,200 × 31 / 3,650,000 = 1,019,178,082.191781 → 1,019,178,082 (carry .191781);
  //   principal 8,884,878,868 − 1,019,178,082 = 7,865,700,786; left 100,000,000,000 − 7,865,700,786 = 92,134,299,214
  ["2026-02-15", A, 1_019_178_082n, 7_865_700_786n, 92_134_299_214n],
  // 28 d on 92,134,299,214: 848,140,398.243945 + .191781 = 848,140,398.435726 → 848,140,398; principal 8,036,738,470; left 84,097,560,744
  ["2026-03-15", A, 848_140_398n, 8_036_738_470n, 84_097_560_744n],
  // 31 d on 84,097,560,744: 857,103,906.760767 + .435726 = 857,103,907.196493 → 857,103,907; principal 8,027,774,961; left 76,069,785,783
  ["2026-04-15", A, 857_103_907n, 8_027_774_961n, 76_069_785_783n],
  // 30 d on 76,069,785,783: 750,277,339.229589 + .196493 = .426082 → 750,277,339; principal 8,134,601,529; left 67,935,184,254
  ["2026-05-15", A, 750_277_339n, 8_134_601_529n, 67_935_184_254n],
  // 31 d on 67,935,184,254: 692,380,508.013370 + .426082 = .439452 → 692,380,508; principal 8,192,498,360; left 59,742,685,894
  ["2026-06-15", A, 692_380_508n, 8_192_498_360n, 59_742_685_894n],
  // 30 d on 59,742,685,894: 589,242,929.365479 + .439452 = .804932 → 589,242,929; principal 8,295,635,939; left 51,447,049,955
  ["2026-07-15", A, 589_242_929n, 8_295_635_939n, 51_447_049_955n],
  // 31 d on 51,447,049,955: 524,337,057.075616 + .804932 = .880548 → 524,337,057; principal 8,360,541,811; left 43,086,508,144
  ["2026-08-15", A, 524_337_057n, 8_360_541_811n, 43_086_508_144n],
  // 31 d on 43,086,508,144: 439,128,247.385425 + .880548 = 439,128,248.265973 → 439,128,248; principal 8,445,750,620; left 34,640,757,524
  ["2026-09-15", A, 439_128_248n, 8_445_750_620n, 34_640_757_524n],
  // 30 d on 34,640,757,524: 341,662,265.990137 + .265973 = 341,662,266.256110 → 341,662,266; principal 8,543,216,602; left 26,097,540,922
  ["2026-10-15", A, 341_662_266n, 8_543_216_602n, 26_097_540_922n],
  // 31 d on 26,097,540,922: 265,980,417.068055 + .256110 = .324164 → 265,980,417; principal 8,618,898,451; left 17,478,642,471
  ["2026-11-15", A, 265_980_417n, 8_618_898_451n, 17_478_642_471n],
  // 30 d on 17,478,642,471: 172,392,090.124932 + .324164 = .449096 → 172,392,090; principal 8,712,486,778; left 8,766,155,693
  ["2026-12-15", A, 172_392_090n, 8_712_486_778n, 8_766_155_693n],
  // 31 d on 8,766,155,693: 89,342,737.473863 + .449096 = .922959 → 89,342,737; payoff = 8,766,155,693 + 89,342,737 = 8,855,498,430
  ["2027-01-15", "payoff", 89_342_737n, 8_766_155_693n, 0n],
];
// Interest paid in total: the floor of the exact total over 365 days = 6,589,165,978 µUSD.
// Cash paid in total: 11 × 8,884,878,868 + 8,855,498,430 = 97,733,667,548 + 8,855,498,430 = 106,589,165,978 = P + interest.
const ON_TIME_PAYOFF = 8_855_498_430n;

// (b) Early: $20,000 extra on Apr 30, then A on each due date until paid off on Nov 15.
const EARLY: PaymentRow[] = [
  ON_TIME[0],
  ON_TIME[1],
  ON_TIME[2],
  // 15 d on 76,069,785,783: 375,138,669.614794 + .196493 = .811288 → 375,138,669; principal 20,000,000,000 − 375,138,669 = 19,624,861,331; left 56,444,924,452
  ["2026-04-30", 20_000n * USD, 375_138_669n, 19_624_861_331n, 56_444_924_452n],
  // 15 d on 56,444,924,452: 278,358,531.544110 + .811288 = 278,358,532.355397 → 278,358,532; principal 8,606,520,336; left 47,838,404,116
  ["2026-05-15", A, 278_358_532n, 8_606_520_336n, 47_838_404_116n],
  // 31 d on 47,838,404,116: 487,558,529.620603 + .355397 = .976000 → 487,558,529; principal 8,397,320,339; left 39,441,083,777
  ["2026-06-15", A, 487_558_529n, 8_397_320_339n, 39_441_083_777n],
  // 30 d on 39,441,083,777: 389,007,949.581370 + .976000 = 389,007,950.557370 → 389,007,950; principal 8,495,870,918; left 30,945,212,859
  ["2026-07-15", A, 389_007_950n, 8_495_870_918n, 30_945_212_859n],
  // 31 d on 30,945,212,859: 315,386,826.946521 + .557370 = 315,386,827.503890 → 315,386,827; principal 8,569,492,041; left 22,375,720,818
  ["2026-08-15", A, 315_386_827n, 8_569_492_041n, 22_375_720_818n],
  // 31 d on 22,375,720,818: 228,048,442.309479 + .503890 = .813370 → 228,048,442; principal 8,656,830,426; left 13,718,890,392
  ["2026-09-15", A, 228_048_442n, 8_656_830_426n, 13_718_890_392n],
  // 30 d on 13,718,890,392: 135,309,603.866301 + .813370 = 135,309,604.679671 → 135,309,604; principal 8,749,569,264; left 4,969,321,128
  ["2026-10-15", A, 135_309_604n, 8_749_569_264n, 4_969_321_128n],
  // 31 d on 4,969,321,128: 50,646,231.770301 + .679671 = 50,646,232.449973 → 50,646,232; payoff 4,969,321,128 + 50,646,232 = 5,019,967,360
  ["2026-11-15", "payoff", 50_646_232n, 4_969_321_128n, 0n],
];
// Interest in total: 4,983,877,172 µUSD (1,605,288,806 less than on time).

// (c) Late: #3 (due Apr 15) paid on Apr 25 — DELINQUENT from Apr 21 (6 days past due > 5 days of grace), cured by the payment.
const LATE: PaymentRow[] = [
  ON_TIME[0],
  ON_TIME[1],
  // 41 d on 84,097,560,744 (Mar 15 → Apr 25): 1,133,589,037.973918 + .435726 = 1,133,589,038.409644 → 1,133,589,038;
  //   principal 8,884,878,868 − 1,133,589,038 = 7,751,289,830; left 84,097,560,744 − 7,751,289,830 = 76,346,270,914
  ["2026-04-25", A, 1_133_589_038n, 7_751_289_830n, 76_346_270_914n],
  // 20 d on 76,346,270,914: 502,002,877.242740 + .409644 = .652384 → 502,002,877; principal 8,382,875,991; left 67,963,394,923
  ["2026-05-15", A, 502_002_877n, 8_382_875_991n, 67_963_394_923n],
  // 31 d on 67,963,394,923: 692,668,024.968657 + .652384 = 692,668,025.621041 → 692,668,025; principal 8,192,210,843; left 59,771,184,080
  ["2026-06-15", A, 692_668_025n, 8_192_210_843n, 59_771_184_080n],
  // 30 d on 59,771,184,080: 589,524,007.364384 + .621041 = .985425 → 589,524,007; principal 8,295,354,861; left 51,475,829,219
  ["2026-07-15", A, 589_524_007n, 8_295_354_861n, 51_475_829_219n],
  // 31 d on 51,475,829,219: 524,630,369.026521 + .985425 = 524,630,370.011945 → 524,630,370; principal 8,360,248,498; left 43,115,580,721
  ["2026-08-15", A, 524_630_370n, 8_360_248_498n, 43_115_580_721n],
  // 31 d on 43,115,580,721: 439,424,548.718137 + .011945 = .730082 → 439,424,548; principal 8,445,454,320; left 34,670,126,401
  ["2026-09-15", A, 439_424_548n, 8_445_454_320n, 34_670_126_401n],
  // 30 d on 34,670,126,401: 341,951,931.626301 + .730082 = 341,951,932.356384 → 341,951,932; principal 8,542,926,936; left 26,127,199,465
  ["2026-10-15", A, 341_951_932n, 8_542_926_936n, 26_127_199_465n],
  // 31 d on 26,127,199,465: 266,282,690.437808 + .356384 = .794192 → 266,282,690; principal 8,618,596,178; left 17,508,603,287
  ["2026-11-15", A, 266_282_690n, 8_618_596_178n, 17_508_603_287n],
  // 30 d on 17,508,603,287: 172,687,594.063562 + .794192 = .857753 → 172,687,594; principal 8,712,191,274; left 8,796,412,013
  ["2026-12-15", A, 172_687_594n, 8_712_191_274n, 8_796_412_013n],
  // 31 d on 8,796,412,013: 89,651,103.255781 + .857753 = 89,651,104.113534 → 89,651,104; payoff 8,796,412,013 + 89,651,104 = 8,886,063,117
  ["2027-01-15", "payoff", 89_651_104n, 8_796_412_013n, 0n],
];
// Interest in total: 6,619,730,665 µUSD (30,564,687 more than on time).

const sum = (values: bigint[]) => values.reduce((total, value) => total + value, 0n);

await describeEachProvider("loans: golden scenarios", (provider) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    // One fix before the loan: the index at origination, and the index every later valuation reads.
    await test.db.gpuIndexFix.create({ data: { day: "2026-01-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
  });
  afterAll(async () => {
    await test?.drop();
  });

  async function expectHealthy(db: Db) {
    expect((await checkLedgerHealth(db)).violations).toEqual([]);
  }

  async function cashOf(db: Db, loan: { id: string; lenderOrgId: string | null; startupOrgId: string }) {
    const balance = async (type: string, owner: { orgId?: string | null; loanId?: string | null }) =>
      (await db.ledgerAccount.findFirst({ where: { type, orgId: owner.orgId ?? null, loanId: owner.loanId ?? null } }))?.balanceMicros ?? 0n;
    return {
      receivable: await balance("LOAN_RECEIVABLE", { orgId: loan.lenderOrgId, loanId: loan.id }),
      lenderCash: await balance("LENDER_CASH", { orgId: loan.lenderOrgId }),
      startupCash: await balance("STARTUP_CASH", { orgId: loan.startupOrgId }),
    };
  }

  /** A lender with a $1,000,000 facility, an admin, and a startup holding $60,000 of its own credits; the startup applies, the admin approves. */
  async function disbursedLoan() {
    const db = test.db;
    const lender = await createLender(db);
    const facility = await db.lenderFacility.create({ data: { lenderOrgId: lender.orgId, name: "Fund I", limitMicros: 1_000_000n * USD, defaultAprBps: 1_200 } });
    const platform = await createUser(db, "PLATFORM");
    const startupUser = await createUser(db, "STARTUP");
    await openStartupAccounts(db, startupUser.orgId);
    await issueCredits(db, { orgId: startupUser.orgId, amountMicros: 60_000n * USD, idempotencyKey: `own:${startupUser.orgId}` });
    const startup: LoanCaller = { role: "startup", userId: startupUser.userId, orgId: startupUser.orgId };
    const admin: LoanCaller = { role: "admin", userId: platform.userId, orgId: platform.orgId };
    const applied = await applyForLoan(db, {
      caller: startup,
      application: { principalMicros: P.toString(), multiplierBps: 13_000, termMonths: 12, pledgedMicros: (50_000n * USD).toString(), purpose: "Twelve months of inference for the copilot." },
      now: new Date("2026-01-10T09:00:00.000Z"),
    });
    const approval = await approveApplication(db, { caller: admin, loanId: applied.id, terms: { facilityId: facility.id, aprBps: 1_200, multiplierBps: 13_000 }, now: APPROVED_AT });
    return { db, lender, facility, startup, admin, loan: approval.loan, approval };
  }

  /** Pays each row on its day and checks the split, the balances and the receivable after each one. */
  async function payAll(ctx: Awaited<ReturnType<typeof disbursedLoan>>, rows: PaymentRow[], options: { before?: (row: PaymentRow, index: number) => Promise<void> } = {}) {
    const results = [];
    for (const [index, row] of rows.entries()) {
      await options.before?.(row, index);
      const [day, amount, interest, principal, left] = row;
      const payoff = interest + principal; // the payoff rows pay exactly the debt: interest accrued + principal left
      const result = await recordLoanPayment(ctx.db, { caller: ctx.admin, loanId: ctx.loan.id, payment: { amountMicros: (amount === "payoff" ? payoff : amount).toString(), idempotencyKey: `pay-${ctx.loan.id}-${index}` }, now: at10(day) });
      expect([day, result.payment.interestMicros, result.payment.principalMicros, result.loan.principalOutstandingMicros, result.loan.interestAccruedMicros]).toEqual([day, interest, principal, left, 0n]);
      expect((await cashOf(ctx.db, ctx.loan)).receivable).toBe(left);
      results.push(result);
    }
    return results;
  }

  async function expectRepaid(ctx: Awaited<ReturnType<typeof disbursedLoan>>, input: { closedAt: Date; totalPaid: bigint }) {
    const { db, loan } = ctx;
    const final = await db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect({ state: final.state, closedAt: final.closedAt, principal: final.principalOutstandingMicros, interest: final.interestAccruedMicros, carry: final.interestCarry }).toEqual({
      state: "REPAID",
      closedAt: input.closedAt,
      principal: 0n,
      interest: 0n,
      carry: 0n,
    });
    // Every installment owes nothing once the debt is 0.
    expect((await db.installment.findMany({ where: { loanId: loan.id } })).map((i) => i.status)).toEqual(Array(12).fill("PAID"));
    // The cash: the startup's money passed through to the lender; the receivable is back to 0.
    expect(await cashOf(db, loan)).toEqual({ receivable: 0n, lenderCash: input.totalPaid, startupCash: 0n });
    // The credits: 130,000 financed + 50,000 pledged are the startup's own again, next to its 10,000 unpledged:
    // no FINANCED or PLEDGED credits left, 190,000 USD spendable, in PURCHASED lots only.
    const lots = await db.creditLot.findMany({ where: { orgId: loan.startupOrgId } });
    expect(lots.every((lot) => lot.kind === "PURCHASED" && lot.priority === 2 && lot.frozenMicros === 0n)).toBe(true);
    expect(sum(lots.map((lot) => lot.remainingMicros))).toBe(190_000n * USD);
    expect(await getCreditBalances(db, loan.startupOrgId)).toEqual({ spendableMicros: 190_000n * USD, heldMicros: 0n, frozenMicros: 0n, pledgedMicros: 0n, financedMicros: 0n });
    // The released lots keep their provenance.
    expect(lots.filter((lot) => lot.loanId === loan.id).map((lot) => lot.originalMicros).sort()).toEqual([130_000n * USD, 50_000n * USD].sort());
    await expectHealthy(db);
  }

  describe("(a) $100,000 at 12% APR over 12 months at 1.3×, every installment paid on its due date", () => {
    it("disburses, pays on time to a debt of 0, closes REPAID and releases the credits", async () => {
      const ctx = await disbursedLoan();
      const { db, loan, approval } = ctx;

      // Disbursement. financed = 100,000,000,000 × 13,000 / 10,000 = 130,000,000,000.
      // Initial coverage = (130,000,000,000 + 50,000,000,000) × 850,000 / (100,000,000,000 × 100)
      //   = 153,000,000,000,000,000 / 10,000,000,000,000 = 15,300 bps (153%) ≥ 15,000.
      expect(approval.disbursement).toEqual({
        financedMicros: 130_000_000_000n,
        pledgedMicros: 50_000_000_000n,
        indexAtOriginationMicros: 2_000_000n,
        markPpm: 850_000,
        initialCoverageBps: 15_300,
        installmentCount: 12,
        firstDueDate: new Date("2026-02-15T00:00:00.000Z"),
        levelPaymentMicros: A,
      });
      expect(loan).toMatchObject({ state: "ACTIVE", reference: "BL-2026-0001", principalOutstandingMicros: P, aprBps: 1_200, multiplierBps: 13_000, activatedAt: APPROVED_AT, indexAtOriginationMicros: 2_000_000n });
      const lots = await db.creditLot.findMany({ where: { orgId: loan.startupOrgId }, orderBy: { priority: "asc" } });
      // FINANCED 130,000 tagged with lender and loan; PLEDGED 50,000 out of the startup's 60,000; 10,000 stays its own.
      expect(lots.map((lot) => [lot.kind, lot.remainingMicros, lot.loanId, lot.lenderOrgId])).toEqual([
        ["FINANCED", 130_000n * USD, loan.id, ctx.lender.orgId],
        ["PLEDGED", 50_000n * USD, loan.id, ctx.lender.orgId],
        ["PURCHASED", 10_000n * USD, null, null],
      ]);
      // Spendable: 60,000 own + 130,000 financed = 190,000 USD; pledging moves attribution, not balances.
      expect(await getCreditBalances(db, loan.startupOrgId)).toEqual({ spendableMicros: 190_000n * USD, heldMicros: 0n, frozenMicros: 0n, pledgedMicros: 50_000n * USD, financedMicros: 130_000n * USD });
      // Cash: the lender's 100,000 arrived and was lent: its cash nets to 0, the receivable holds P.
      expect(await cashOf(db, loan)).toEqual({ receivable: P, lenderCash: 0n, startupCash: 0n });
      const installments = await db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
      expect(installments.map((i) => [i.seq, i.dueDate.toISOString().slice(0, 10), i.amountMicros, i.interestMicros, i.principalMicros])).toEqual(SCHEDULE);
      // Σ planned principal = P exactly.
      expect(sum(SCHEDULE.map((row) => row[4]))).toBe(P);
      // The recompute after the approval recorded the initial coverage.
      expect((await db.coverageSnapshot.findFirst({ where: { loanId: loan.id, reason: "approval" } }))?.coverageBps).toBe(15_300);
      await expectHealthy(db);

      const results = await payAll(ctx, ON_TIME);
      // Each installment is paid on its day: #1–#11 by A exactly; #12 by the payoff 8,855,498,430 (under its plan, the debt is 0).
      expect(results.map((r) => r.installments.map((i) => [i.seq, i.appliedMicros, i.status]))).toEqual([
        ...SCHEDULE.slice(0, 11).map(([seq]) => [[seq, A, "PAID"]]),
        [[12, ON_TIME_PAYOFF, "PAID"]],
      ]);
      expect(results.map((r) => r.loan.state)).toEqual([...Array(11).fill("ACTIVE"), "REPAID"]);
      // Interest paid = 6,589,165,978 µUSD; cash paid = 106,589,165,978 µUSD.
      expect(sum(results.map((r) => r.payment.interestMicros))).toBe(6_589_165_978n);
      expect(sum(results.map((r) => r.payment.amountMicros))).toBe(106_589_165_978n);
      expect(results[11].releasedMicros).toBe(180_000n * USD);
      await expectRepaid(ctx, { closedAt: at10("2027-01-15"), totalPaid: 106_589_165_978n });
      // Two state changes, each audited once.
      expect(await db.auditLog.count({ where: { targetId: loan.id, action: { in: ["loan.approve", "loan.repaidInFull"] } } })).toBe(2);
    });
  });

  describe("(b) an early extra payment of $20,000 on Apr 30", () => {
    it("prepays #4 and #5 and part of #6, cuts the interest and repays on Nov 15", async () => {
      const ctx = await disbursedLoan();
      const results = await payAll(ctx, EARLY);
      // The extra 20,000,000,000 settles #4 and #5 (8,884,878,868 each) and puts 20,000,000,000 − 2 × 8,884,878,868 = 2,230,242,264 on #6.
      expect(results[3].installments.map((i) => [i.seq, i.appliedMicros, i.paidMicros, i.status])).toEqual([
        [4, A, A, "PAID"],
        [5, A, A, "PAID"],
        [6, 2_230_242_264n, 2_230_242_264n, "DUE"],
      ]);
      // Each later A finishes the started one (A − 2,230,242,264 = 6,654,636,604) and puts 2,230,242,264 on the next.
      expect(results[4].installments.map((i) => [i.seq, i.appliedMicros, i.status])).toEqual([
        [6, 6_654_636_604n, "PAID"],
        [7, 2_230_242_264n, "DUE"],
      ]);
      // Nov 15: the payoff 5,019,967,360 goes to #12, which then holds 2,230,242,264 + 5,019,967,360 = 7,250,209,624 and owes nothing.
      expect(results[10].installments.map((i) => [i.seq, i.appliedMicros, i.paidMicros, i.status])).toEqual([[12, 5_019_967_360n, 7_250_209_624n, "PAID"]]);
      expect(sum(results.map((r) => r.payment.interestMicros))).toBe(4_983_877_172n);
      // Cash paid = P + interest = 104,983,877,172.
      expect(sum(results.map((r) => r.payment.amountMicros))).toBe(104_983_877_172n);
      await expectRepaid(ctx, { closedAt: at10("2026-11-15"), totalPaid: 104_983_877_172n });
    });
  });

  describe("(c) a late payment: #3 (due Apr 15) paid on Apr 25 with 5 days of grace", () => {
    it("goes DELINQUENT on Apr 21 (once), is cured by the payment, and repays on Jan 15 with the extra interest", async () => {
      const ctx = await disbursedLoan();
      const { db, loan } = ctx;
      const stateOf = async () => (await db.loan.findUniqueOrThrow({ where: { id: loan.id } })).state;
      const statusOf3 = async () => (await db.installment.findFirstOrThrow({ where: { loanId: loan.id, seq: 3 } })).status;
      const results = await payAll(ctx, LATE, {
        before: async (_row, index) => {
          if (index !== 2) return;
          // Apr 20, 23:59:59: 5 days past due, inside the grace: nothing happens.
          expect(await markOverdueInstallments(db, new Date("2026-04-20T23:59:59.000Z"), { loanIds: [loan.id] })).toEqual({ checkedLoans: 1, markedInstallments: 0, delinquentLoanIds: [] });
          expect([await stateOf(), await statusOf3()]).toEqual(["ACTIVE", "DUE"]);
          // Apr 21, 00:00: 6 days > 5: #3 is OVERDUE and the loan DELINQUENT.
          expect(await markOverdueInstallments(db, new Date("2026-04-21T00:00:00.000Z"), { loanIds: [loan.id] })).toEqual({ checkedLoans: 1, markedInstallments: 1, delinquentLoanIds: [loan.id] });
          expect([await stateOf(), await statusOf3()]).toEqual(["DELINQUENT", "OVERDUE"]);
          // The sweep again (another instance, a retry): nothing more.
          expect(await markOverdueInstallments(db, new Date("2026-04-24T12:00:00.000Z"), { loanIds: [loan.id] })).toEqual({ checkedLoans: 1, markedInstallments: 0, delinquentLoanIds: [] });
          expect(await db.auditLog.count({ where: { targetId: loan.id, action: "loan.installmentOverdue" } })).toBe(1);
        },
      });
      // Apr 25: A settles #3 exactly; no installment is past grace, so the payment cures the loan.
      expect(results[2].installments.map((i) => [i.seq, i.appliedMicros, i.status])).toEqual([[3, A, "PAID"]]);
      expect(results[2].loan.state).toBe("ACTIVE");
      expect(await db.auditLog.count({ where: { targetId: loan.id, action: "loan.paymentCured" } })).toBe(1);
      // The payoff: #12 takes the whole debt 8,886,063,117 = 1,184,257 over its plan 8,884,878,860 (the late days' interest, net).
      expect(results[11].installments.map((i) => [i.seq, i.appliedMicros, i.status])).toEqual([[12, 8_886_063_117n, "PAID"]]);
      expect(sum(results.map((r) => r.payment.interestMicros))).toBe(6_619_730_665n);
      // Cash paid = P + interest = 106,619,730,665.
      await expectRepaid(ctx, { closedAt: at10("2027-01-15"), totalPaid: 106_619_730_665n });
      const transitions = await db.auditLog.findMany({ where: { targetId: loan.id, action: { startsWith: "loan." } }, orderBy: { at: "asc" }, select: { action: true } });
      expect(transitions.map((t) => t.action).filter((a) => ["loan.approve", "loan.installmentOverdue", "loan.paymentCured", "loan.repaidInFull"].includes(a))).toEqual([
        "loan.approve",
        "loan.installmentOverdue",
        "loan.paymentCured",
        "loan.repaidInFull",
      ]);
    });
  });
});
