import { describe, expect, it } from "vitest";
import { escapeCsvField, toCsv } from "./csv";

describe("escapeCsvField", () => {
  it.each([
    ["a plain word stays bare", "Acme AI", "Acme AI"],
    ["an empty value stays empty", "", ""],
    ["a comma is quoted", "Acme, Inc.", '"Acme, Inc."'],
    ["a quote is doubled and quoted", 'the "fast" model', '"the ""fast"" model"'],
    ["a lone quote", '"', '""""'],
    ["a newline is quoted", "line 1\nline 2", '"line 1\nline 2"'],
    ["a CRLF is quoted", "line 1\r\nline 2", '"line 1\r\nline 2"'],
    ["leading = is defused", "=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["leading + is defused", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["leading - is defused", "-2+3", "'-2+3"],
    ["leading @ is defused", "@SUM(1,2)", `"'@SUM(1,2)"`],
    ["leading tab is defused", "\t=1", "'\t=1"],
    ["a defused formula with a quote is also quoted", '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["a negative number stays a number", "-12.50", "-12.50"],
    ["a signed integer stays a number", "+42", "+42"],
    ["= inside a value is harmless", "a=b", "a=b"],
    ["a leading space is not a formula", " =1", " =1"],
  ])("%s", (_label, input, expected) => {
    expect(escapeCsvField(input)).toBe(expected);
  });
});

describe("toCsv", () => {
  it.each([
    ["headers only when there are no rows", ["Loan", "Debt"], [], "Loan,Debt\r\n"],
    ["one record per row, CRLF line ends", ["Loan", "Debt"], [["L-1", "100.00"], ["L-2", "2.50"]], "Loan,Debt\r\nL-1,100.00\r\nL-2,2.50\r\n"],
    ["empty values keep their columns", ["a", "b", "c"], [["", "", ""], ["x", "", "z"]], "a,b,c\r\n,,\r\nx,,z\r\n"],
    ["headers are escaped like fields", ["Amount, USD", "Note"], [["1", 'said "hi"']], '"Amount, USD",Note\r\n1,"said ""hi"""\r\n'],
    ["a multi-line cell stays one record", ["id", "memo"], [["1", "a\nb"]], 'id,memo\r\n1,"a\nb"\r\n'],
    ["an injected formula is defused in a row", ["name"], [["=1+1"]], "name\r\n'=1+1\r\n"],
  ])("%s", (_label, headers, rows, expected) => {
    expect(toCsv(headers, rows)).toBe(expected);
  });
});
