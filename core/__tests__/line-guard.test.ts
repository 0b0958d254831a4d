import { Readable } from "node:stream";
import { LineGuard, quotingProblem } from "../src/cli/line-guard";

const problem = (line: string) => quotingProblem(Buffer.from(line), 0, line.length);

async function guard(chunks: string[], maxLineBytes = 1000) {
  const bad: Array<[number, string]> = [];
  const g = new LineGuard((line, reason) => bad.push([line, reason]), maxLineBytes);
  let out = "";
  for await (const c of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(g)) out += c.toString();
  return { out, bad, bytesRead: g.bytesRead };
}

describe("quotingProblem", () => {
  it.each([
    ["a,b,c", undefined],
    ['a,"b,c",d', undefined],
    ['"a ""quoted"" word",b', undefined],
    ['a,"",c', undefined],
    ['a,b,"c"\r', undefined],
    ["a,b,", undefined],
    ['a,"b', "broken quoting: a quoted field is not closed on its line"],
    ['a,"b"c,d', "broken quoting: text after the closing quote of a field"],
    ['a,b"c,d', "broken quoting: a quote inside an unquoted field"],
  ])("%j -> %s", (line, expected) => {
    expect(problem(line)).toBe(expected);
  });
});

describe("LineGuard", () => {
  it("blanks broken lines, keeps their line breaks, and numbers lines across chunk boundaries", async () => {
    const { out, bad, bytesRead } = await guard(["h1,h2\nok,1\nbro", 'ken,"x\nok,"2"\r\n', 'x"y,3\nlast,4']);
    expect(bad).toEqual([
      [3, "broken quoting: a quoted field is not closed on its line"],
      [5, "broken quoting: a quote inside an unquoted field"],
    ]);
    expect(out).toBe('h1,h2\nok,1\n\nok,"2"\r\n\nlast,4');
    expect(bytesRead).toBe(Buffer.byteLength('h1,h2\nok,1\nbroken,"x\nok,"2"\r\nx"y,3\nlast,4'));
  });

  it("passes chunks without quotes through unchanged", async () => {
    const text = "a,b\n1,2\n3,4\n";
    expect((await guard([text])).out).toBe(text);
  });

  it("drops a line longer than the limit without holding it, and keeps the lines around it", async () => {
    const long = "x".repeat(50);
    const { out, bad } = await guard(["a,b\n", long.slice(0, 25), `${long.slice(25)}\n`, "c,d\n"], 20);
    expect(bad).toEqual([[2, "line longer than 20 bytes"]]);
    expect(out).toBe("a,b\n\nc,d\n");
  });
});
