import { describe, expect, it, vi } from "vitest";
import { fieldMessage, showActionError } from "./form-errors";

type Values = { amountUsd: string; reference: string };

describe("a server action's error in a form", () => {
  it("strips the field prefix from a server message", () => {
    expect(fieldMessage('slug: A provider with the slug "x" already exists.', "slug")).toBe('A provider with the slug "x" already exists.');
    expect(fieldMessage("slug: kept when the field differs", "name")).toBe("slug: kept when the field differs");
    expect(fieldMessage("Something else", null)).toBe("Something else");
  });

  it.each([
    ["a field of the form: under it, focused", { field: "reference", message: "reference: Already used." }, ["reference", "Already used."], null],
    ["an alias of a field: under the field it stands for", { field: "amountMicros", message: "amountMicros: Too much." }, ["amountUsd", "Too much."], null],
    ["a field the form does not have: for the whole form", { field: "loanId", message: "loanId: Not open." }, null, "Not open."],
    ["no field: for the whole form, as sent", { field: null, message: "Loan changed meanwhile." }, null, "Loan changed meanwhile."],
  ] as const)("%s", (_label, error, underField, forForm) => {
    const setError = vi.fn();
    const otherwise = vi.fn();
    showActionError<Values>(error, { fields: ["amountUsd", "reference"], setError, otherwise, aliases: { amountMicros: "amountUsd" } });
    if (underField) expect(setError).toHaveBeenCalledWith(underField[0], { message: underField[1] }, { shouldFocus: true });
    else expect(setError).not.toHaveBeenCalled();
    if (forForm) expect(otherwise).toHaveBeenCalledWith(forForm);
    else expect(otherwise).not.toHaveBeenCalled();
  });
});
