import { csvCell, csvRow, toCsv } from "~/web/csv";

describe("CSV (RFC 4180)", () => {
  it("leaves plain values alone and ends rows with CRLF", () => {
    expect(
      toCsv([
        ["name", "amount"],
        ["Ada Lovelace", "$25.00"],
      ]),
    ).toBe("name,amount\r\nAda Lovelace,$25.00\r\n");
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvCell("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvCell('The "Deluxe" kit')).toBe('"The ""Deluxe"" kit"');
    expect(csvCell("line one\nline two")).toBe('"line one\nline two"');
    expect(csvRow(["a", null, undefined, 3])).toBe("a,,,3\r\n");
  });

  it.each(['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])(
    "defuses the formula %j with a leading quote",
    (value) => {
      const cell = csvCell(value);
      expect(cell.replace(/^"/, "").startsWith("'")).toBe(true);
    },
  );

  it("quotes a defused cell that also needs quoting", () => {
    expect(csvCell('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvCell("\rboom")).toBe(`"'\rboom"`);
  });
});
