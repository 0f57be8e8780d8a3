import { ALL_FIELDS, loadDraft, parseAmount, saveDraft, toPayload, validateField, validateStep, type FormValues } from "./applicationForm";
import { applicantBounds, products } from "./bounds";

const field = (name: string) => ALL_FIELDS.find((f) => f.name === name)!;

describe("bounds from the API schema", () => {
  it("reads the applicant limits the API enforces", () => {
    expect(applicantBounds("age")).toMatchObject({ min: 18, max: 100, required: true });
    expect(applicantBounds("credit_score")).toMatchObject({ min: 300, max: 850, nullable: true });
    expect(applicantBounds("employment_status").options).toContain("Self-Employed");
  });
  it("reads product limits from the policy", () => {
    expect(products().car?.amount.max).toBeGreaterThan(products().car!.amount.min);
  });
});

describe("validateField", () => {
  it("rejects an age under 18 with a message naming the range", () => {
    expect(validateField(field("age"), { age: "17" })).toBe("Must be between 18 and 100.");
    expect(validateField(field("age"), { age: "40" })).toBeUndefined();
  });
  it("requires whole numbers for counts and cents for money", () => {
    expect(validateField(field("num_dependents"), { num_dependents: "1.5" })).toBe("Enter a whole number.");
    expect(validateField(field("annual_income"), { annual_income: "10.123" })).toMatch(/two decimals/);
    expect(validateField(field("annual_income"), { annual_income: "0" })).toMatch(/more than/);
  });
  it("lets optional fields stay empty but not required ones", () => {
    expect(validateField(field("credit_score"), {})).toBeUndefined();
    expect(validateField(field("age"), {})).toMatch(/required/);
  });
  it("narrows amount and tenure to the chosen product", () => {
    const car = products().car!;
    const v: FormValues = { product: "car", amount: String(car.amount.max + 1), tenure_months: String(car.tenure_months.min) };
    expect(validateField(field("amount"), v)).toMatch(/car loan/);
    expect(validateField(field("tenure_months"), v)).toBeUndefined();
  });
  it("asks for the gold value only on gold loans", () => {
    expect(validateField(field("gold_value"), { product: "car" })).toBeUndefined();
    expect(validateField(field("gold_value"), { product: "gold" })).toMatch(/gold/);
  });
});

describe("steps, payload and drafts", () => {
  it("reports every invalid field of a step", () => {
    expect(Object.keys(validateStep(0, {}))).toEqual(expect.arrayContaining(["age", "num_dependents", "education_level"]));
  });
  it("sends counts as integers, money as strings and unknown optionals as null", () => {
    const { profile: applicant, request: loan } = toPayload({ age: "30", annual_income: "85,000", product: "car", amount: "20000", tenure_months: "48" });
    expect(applicant).toMatchObject({ age: 30, annual_income: "85000", credit_score: null });
    expect(loan).toEqual({ product: "car", amount: "20000", tenure_months: 48 });
  });
  it("saves and resumes a draft", () => {
    saveDraft({ age: "30" }, 2);
    expect(loadDraft()).toEqual({ values: { age: "30" }, step: 2 });
  });

  it("reads money as people type it and names the field, unit and product in range errors", () => {
    expect(parseAmount("$18,000")).toBe(18000);
    expect(parseAmount("18k")).toBe(18000);
    expect(parseAmount("1.1K")).toBe(1100);
    expect(parseAmount("2.5m")).toBe(2500000);
    expect(parseAmount("eighteen")).toBeNaN();
    const car = products().car!;
    const v: FormValues = { product: "car", amount: "$20k", tenure_months: String(car.tenure_months.max + 1) };
    expect(validateField(field("amount"), v)).toBeUndefined();
    expect(validateField(field("tenure_months"), v)).toBe(
      `Term must be between ${car.tenure_months.min} and ${car.tenure_months.max} months for a car loan.`,
    );
    expect(toPayload({ ...v, tenure_months: "48" }).request.amount).toBe("20000");
  });
});
